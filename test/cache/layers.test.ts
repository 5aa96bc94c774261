// Layers on real images: live snapshots of a running QEMU (no guest needed: -machine none
// with the disk as a drive, written through QEMU's qemu-io monitor command), commits,
// integrity checks, pruning of leftovers. What a checkpoint froze must read back exactly.
import { execFile } from 'node:child_process';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LayerWriter } from '../../lib/cache/layer-writer.js';
import { topImageFile } from '../../lib/hypervisor/qemu/live-snapshot.js';
import { OWNER_FILE, SSH_KEY_FILE } from '../../lib/cache/layout.js';
import type { PlannedStage } from '../../lib/cache/plan.js';
import { planResume } from '../../lib/cache/plan.js';
import { pruneStore } from '../../lib/cache/prune.js';
import { LayerStore, type StoredLayer } from '../../lib/cache/store.js';
import { startQemu, type QemuVm } from '../../lib/hypervisor/qemu/vm.js';
import { snapshotToOverlay } from '../../lib/hypervisor/qemu/live-snapshot.js';
import { memoryLog } from '../../lib/log/log.js';
import { put, removeScratch, scratch } from './scratch.js';

const exec = promisify(execFile);
const MIB = 1048576;
const started: QemuVm[] = [];

test.after(async () => {
  await Promise.all(started.map((vm) => vm.kill()));
  await removeScratch();
});

const stage = (label: string, kind: PlannedStage['kind'], key: string, state: PlannedStage['state'] = 'running'): PlannedStage => ({
  label,
  kind,
  key,
  state,
  cacheable: true,
  inputs: { x: key },
});
const KEY = (c: string) => c.repeat(64);
const STAGES = [stage('install', 'install', KEY('a')), stage('provision[0]', 'provision', KEY('b')), stage('shutdown', 'shutdown', KEY('c'), 'stopped')];

async function diskVm(dir: string, disk: string): Promise<QemuVm> {
  const qmpSocket = join(dir, 'qmp.sock');
  const argv = ['-machine', 'none', '-nodefaults', '-display', 'none', '-drive', `file=${disk},if=none,id=disk0,format=qcow2,cache=unsafe`, '-qmp', `unix:${qmpSocket},server=on,wait=off`];
  const vm = await startQemu({ binary: 'qemu-system-x86_64', argv, qmpSocket });
  started.push(vm);
  return vm;
}

/** Writes a pattern to the VM's disk through QEMU, as a guest would. */
async function guestWrite(vm: QemuVm, pattern: number, offset: number): Promise<void> {
  const out = await vm.qmp.execute<string>('human-monitor-command', { 'command-line': `qemu-io disk0 "write -P ${pattern} ${offset} 64k"` });
  assert.not.match(out, /error|failed/i, out);
}

/** qemu-io reads that must all match, on the image as a standalone chain. */
async function expectData(disk: string, reads: [pattern: number, offset: number][]): Promise<void> {
  const args = ['-r', '-f', 'qcow2', ...reads.flatMap(([p, o]) => ['-c', `read -P ${p} ${o} 64k`]), disk];
  const { stdout } = await exec('qemu-io', args);
  assert.not.match(stdout, /fail|mismatch/i, stdout);
}

interface Built {
  cacheDir: string;
  store: LayerStore;
  layers: StoredLayer[];
  log: ReturnType<typeof memoryLog>;
  commands: string[];
}

/** install (0x11 at 0), provision[0] (0x22 at 64k), shutdown (0x33 at 128k): three committed layers. */
async function buildChain(options: { rerun?: boolean } = {}): Promise<Built> {
  const cacheDir = await scratch();
  const store = new LayerStore(cacheDir);
  const log = memoryLog();
  const writer = new LayerWriter(store, STAGES, undefined, 0, 16 * MIB, { template: 't', kiln: 'test' }, log);
  const signal = new AbortController().signal;
  const active = await writer.start(signal);
  const vm = await diskVm(cacheDir, active.disk);
  const commands: string[] = [];
  const guest = {
    exec: async (command: string) => (commands.push(command), { exitCode: 0 }),
    snapshotDisk: (disk: string, overlay: string, signal: AbortSignal) => snapshotToOverlay(vm.qmp, disk, overlay, signal),
  };
  await guestWrite(vm, 0x11, 0);
  await writer.checkpointLive('install', guest, { sshKey: { privateKey: 'PRIVATE\n', publicKey: 'ssh-ed25519 AAAA test' } }, signal);
  await guestWrite(vm, 0x22, 65536);
  await writer.checkpointLive('provision[0]', guest, {}, signal);
  await guestWrite(vm, 0x33, 131072);
  // A retried step that runs a stage again must not produce more layers.
  if (options.rerun) await writer.checkpointLive('install', guest, {}, signal);
  await vm.quit();
  await writer.checkpointStopped('shutdown', {});
  assert.is((await writer.settle(false)).length, options.rerun ? 2 : 3);
  const { layers } = await store.list();
  return { cacheDir, store, layers, log, commands };
}

test('live checkpoints freeze each stage; the chain reads back exactly', async () => {
  const { layers, commands, store } = await buildChain();
  assert.equal(commands, ['sync', 'sync'], 'the guest was not told to sync before each snapshot');
  assert.equal(layers.map((l) => l.record.stage).sort(), ['install', 'provision[0]', 'shutdown']);
  const install = layers.find((l) => l.record.stage === 'install')!;
  const p0 = layers.find((l) => l.record.stage === 'provision[0]')!;
  const last = layers.find((l) => l.record.stage === 'shutdown')!;
  assert.is(last.record.parent, p0.id);
  assert.is(last.record.state, 'stopped');
  assert.is(p0.record.parent, install.id);
  assert.is(p0.record.parentSha256, install.record.sha256);
  assert.is(install.record.key, KEY('a'));
  assert.ok(install.id.startsWith(KEY('a').slice(0, 16)));
  // Each layer holds exactly what was written before its checkpoint.
  await expectData(install.disk, [[0x11, 0], [0, 65536], [0, 131072]]);
  await expectData(p0.disk, [[0x11, 0], [0x22, 65536], [0, 131072]]);
  await expectData(last.disk, [[0x11, 0], [0x22, 65536], [0x33, 131072]]);
  // The backing file is named relative to the layer, so the cache can move.
  const { stdout } = await exec('qemu-img', ['info', '--output=json', p0.disk]);
  assert.is(JSON.parse(stdout)['backing-filename'], `../${install.id}/disk.qcow2`);
  // The install layer keeps the login key, private part readable by the owner only.
  assert.is(await readFile(join(install.dir, SSH_KEY_FILE), 'utf8'), 'PRIVATE\n');
  assert.is((await stat(join(install.dir, SSH_KEY_FILE))).mode & 0o777, 0o600);
  for (const [layer, parent] of [[install, undefined], [p0, install], [last, p0]] as const) assert.is(await store.verifyLayer(layer, parent), undefined);
  assert.equal((await store.list()).leftovers, []);
});

test('a stage that runs again (a retried step) stops checkpoints: what follows would not match a fresh build', async () => {
  const { layers, log, store } = await buildChain({ rerun: true });
  assert.equal(layers.map((l) => l.record.stage).sort(), ['install', 'provision[0]']);
  assert.ok(log.lines.some((l) => /warn: cache: no more checkpoints in this build: install ran again/.test(l)), log.lines.join('\n'));
  // The disk written after the re-run never gets a record: a leftover of this (live) process.
  const listing = await store.list();
  assert.is(listing.leftovers.length, 1);
  assert.ok(listing.leftovers[0]!.ownerAlive);
});

test('a layer whose bytes changed, whose disk is gone or is cut short is detected, never used', async () => {
  const { layers, store } = await buildChain();
  const install = layers.find((l) => l.record.stage === 'install')!;
  const p0 = layers.find((l) => l.record.stage === 'provision[0]')!;

  const original = await readFile(p0.disk);
  const flipped = Buffer.from(original);
  flipped[flipped.length - 100]! ^= 0xff; // a data byte: qemu-img check cannot see it, the hash does
  await writeFile(p0.disk, flipped);
  assert.is(await store.verifyLayer(p0, install), 'disk.qcow2 no longer matches its recorded sha256');

  await writeFile(p0.disk, original);
  await truncate(p0.disk, 4096);
  assert.match((await store.verifyLayer(p0, install))!, /qemu-img|sha256/);

  const plan = await planResume(
    STAGES.map((s) => ({ ...s })),
    layers,
    { template: 't', noCache: false, verify: (l, parent) => store.verifyLayer(l, parent) },
  );
  assert.equal(plan.chain.map((l) => l.id), [install.id]);
  assert.equal(plan.rejected.map((r) => r.layer.id), [p0.id]);

  await writeFile(p0.disk, original);
  assert.is(await store.verifyLayer(p0, install), undefined);
  await exec('rm', [install.disk]);
  assert.is(await store.verifyLayer(install, undefined), 'disk.qcow2 is missing');
});

test('pruning removes leftovers of dead builds, orphans, and least recently used layers over the limit', async () => {
  const { store, layers, cacheDir } = await buildChain();
  await put(store.root, { [`work-0000dead/${OWNER_FILE}`]: '999999999\n' });
  const install = layers.find((l) => l.record.stage === 'install')!;
  const p0 = layers.find((l) => l.record.stage === 'provision[0]')!;

  // Under a generous limit only the dead build's leftover goes (ours is alive).
  let result = await pruneStore(store, 10 * 1024 * MIB);
  assert.equal(result.leftovers.map((l) => l.id), ['work-0000dead']);
  assert.is(result.removed.length, 0);

  // A lease by a running build protects a layer and what it stands on.
  await store.setLease([p0.id], process.ppid);
  result = await pruneStore(store, 0);
  const last = layers.find((l) => l.record.stage === 'shutdown')!;
  assert.equal(result.removed.map((l) => l.id), [last.id], 'only the layer above the leased one may go');
  await store.setLease([], process.ppid);

  result = await pruneStore(store, 0, []);
  assert.equal(result.removed.map((l) => l.id).sort(), [install.id, p0.id].sort());
  assert.equal((await store.list()).layers, []);
  void cacheDir;
});

test('a drive named json:{...} after a snapshot is still found by its top file', () => {
  assert.is(topImageFile('/c/a/disk.qcow2'), '/c/a/disk.qcow2');
  const json = 'json:{"backing": {"driver": "qcow2", "file": {"driver": "file", "filename": "/c/a/disk.qcow2"}}, "driver": "qcow2", "file": {"driver": "file", "filename": "/c/b/disk.qcow2"}}';
  assert.is(topImageFile(json), '/c/b/disk.qcow2');
  assert.is(topImageFile('json:{not json'), undefined);
});

test.run();
