// Two builds with the same install at once: one makes it, the other waits for that
// layer and resumes from it; if the maker fails, the waiter makes the install itself.
// Stage locks on their own: one holder per key.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StageLocks } from '../../lib/cache/stage-locks.js';
import { LayerStore, leaseOwner } from '../../lib/cache/store.js';
import { startQemu, type QemuVm } from '../../lib/hypervisor/qemu/vm.js';
import { snapshotToOverlay } from '../../lib/hypervisor/qemu/live-snapshot.js';
import { memoryLog } from '../../lib/log/log.js';
import { sleep } from '../../lib/util/sleep.js';
import { openBuildCache, removeScratch, scratch } from './scratch.js';

const started: QemuVm[] = [];
test.after(async () => {
  await Promise.all(started.map((vm) => vm.kill()));
  await removeScratch();
});

const TEMPLATE = (command = 'true') => `
name: shared
source: { iso: { url: x.iso, checksum: "sha256:${'c'.repeat(64)}" } }
machine: { disk: 16M }
boot: { command: ["<enter>"] }
ssh: { username: kiln }
provision:
  - shell: { inline: ["${command}"] }
`;
const signal = new AbortController().signal;
const done = { failed: false, cancelled: false, keepFiles: false };

async function waitForLine(log: ReturnType<typeof memoryLog>, start: string): Promise<void> {
  while (!log.lines.some((l) => l.startsWith(start))) await sleep(20);
}

test('a build whose install another build is making waits and resumes from its layer', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE(), 'x.iso': '', 'other/kiln.yaml': TEMPLATE('echo other'), 'other/x.iso': '' });
  const cacheDir = join(dir, 'cache');
  const maker = await openBuildCache(dir, cacheDir, 'x.iso');
  assert.is(maker.cache.resumed, undefined);
  const disk = await maker.cache.prepareDisk(signal);

  const waiterLog = memoryLog();
  const waiter = openBuildCache(join(dir, 'other'), cacheDir, 'x.iso', waiterLog);
  await waitForLine(waiterLog, `info: cache: another build (pid ${process.pid}) is making install; waiting`);

  const qmpSocket = join(dir, 'q.sock');
  const vm = await startQemu({ binary: 'qemu-system-x86_64', argv: ['-machine', 'none', '-nodefaults', '-display', 'none', '-drive', `file=${disk.path},if=none,id=disk0,format=qcow2`, '-qmp', `unix:${qmpSocket},server=on,wait=off`], qmpSocket });
  started.push(vm);
  const guest = { exec: async () => ({ exitCode: 0 }), snapshotDisk: (d: string, overlay: string, s: AbortSignal) => snapshotToOverlay(vm.qmp, d, overlay, s) };
  await maker.cache.checkpointLive('install', guest, {}, signal);

  const { cache } = await waiter;
  assert.is(cache.resumed?.record.stage, 'install', 'resumed from the layer the other build stored');
  assert.not.ok(cache.finished);
  await vm.quit();
  await maker.cache.close(done);
  await cache.close(done);
});

test('when the build making the install fails, the waiting build makes it', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE(), 'x.iso': '' });
  const cacheDir = join(dir, 'cache');
  const maker = await openBuildCache(dir, cacheDir, 'x.iso');
  await maker.cache.prepareDisk(signal);
  const waiterLog = memoryLog();
  const waiter = openBuildCache(dir, cacheDir, 'x.iso', waiterLog);
  await waitForLine(waiterLog, 'info: cache: another build');
  await maker.cache.close({ failed: true, cancelled: false, keepFiles: false });
  const { cache } = await waiter;
  assert.is(cache.resumed, undefined, 'nothing to resume from: it makes the install');
  // And now it holds the install: a third build would wait for it in turn.
  const third = new StageLocks(cacheDir);
  assert.not.ok(await third.claim(cache.plan.stages[0]!.key));
  await cache.close(done);
  assert.ok(await third.claim(cache.plan.stages[0]!.key), 'released when the build ends');
  await third.releaseAll();
});

test('a stage lock has one holder; a waiter gets it when the holder lets go', async () => {
  const dir = await scratch({});
  const [a, b] = [new StageLocks(dir), new StageLocks(dir)];
  assert.ok(await a.claim('k1'));
  assert.ok(await a.claim('k1'), 'a holder claiming again keeps it');
  assert.not.ok(await b.claim('k1'));
  assert.ok(await b.claim('k2'), 'other keys are free');
  let seenHolder!: () => void;
  const blocked = new Promise<void>((resolve) => (seenHolder = resolve));
  const waiting = b.wait('k1', signal, seenHolder).then(() => 'got');
  await blocked; // b found a holding k1
  await a.release('k1');
  assert.is(await waiting, 'got');
  assert.not.ok(await a.claim('k1'));
  await b.releaseAll();
  assert.ok(await a.claim('k1'));
  await a.releaseAll();
});

test('each build of a process leases under its own name: one ending does not drop the other\'s lease', async () => {
  const dir = await scratch({});
  const store = new LayerStore(dir);
  const [a, b] = [leaseOwner('a1'), leaseOwner('b2')];
  await store.setLease(['layer-a'], a);
  await store.setLease(['layer-b'], b);
  assert.equal([...(await store.leasedIds(a))], ['layer-b'], 'a sees b\'s lease, not its own');
  await store.setLease([], a);
  assert.equal([...(await store.leasedIds())], ['layer-b'], 'a ending leaves b\'s lease');
  await store.setLease([], b);
  assert.equal([...(await store.leasedIds())], []);
});

test.run();
