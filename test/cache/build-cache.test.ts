// BuildCache, the session a build holds: plans from the store, hands out the disk the VM
// must write (a new overlay after each checkpoint), stores layers, resumes later builds.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LayerStore } from '../../lib/cache/store.js';
import { startQemu, type QemuVm } from '../../lib/hypervisor/qemu/vm.js';
import { snapshotToOverlay } from '../../lib/hypervisor/qemu/live-snapshot.js';
import { oneProvisionerTemplate, openBuildCache, removeScratch, scratch } from './scratch.js';

const started: QemuVm[] = [];
test.after(async () => {
  await Promise.all(started.map((vm) => vm.kill()));
  await removeScratch();
});

const TEMPLATE = (command: string) => oneProvisionerTemplate('bc', command);

const KEY = { privateKey: 'PRIVATE-KEY\n', publicKey: 'ssh-ed25519 AAAA kiln-bc' };

const open = (dir: string, cacheDir: string) => openBuildCache(dir, cacheDir, 'x.iso');

async function vmOn(dir: string, disk: string): Promise<QemuVm> {
  const qmpSocket = join(dir, `q${started.length}.sock`);
  const argv = ['-machine', 'none', '-nodefaults', '-display', 'none', '-drive', `file=${disk},if=none,id=disk0,format=qcow2`, '-qmp', `unix:${qmpSocket},server=on,wait=off`];
  const vm = await startQemu({ binary: 'qemu-system-x86_64', argv, qmpSocket });
  started.push(vm);
  return vm;
}

/** A whole "build": install, provision[0], shutdown, each checkpointed. */
async function fullRun(dir: string, cacheDir: string) {
  const { cache, log } = await open(dir, cacheDir);
  const signal = new AbortController().signal;
  const first = await cache.prepareDisk(signal);
  const vm = await vmOn(dir, first.path);
  const guest = { exec: async () => ({ exitCode: 0 }), snapshotDisk: (disk: string, overlay: string, signal: AbortSignal) => snapshotToOverlay(vm.qmp, disk, overlay, signal) };
  const { disk: afterInstall, taken } = await cache.checkpointLive('install', guest, { sshKey: KEY }, signal);
  assert.equal(taken && taken.memory, 'none', 'a guest without saveState keeps its disk only');
  assert.is.not(afterInstall.path, first.path, 'the VM keeps writing the frozen install layer');
  const { disk: afterP0 } = await cache.checkpointLive('provision[0]', guest, {}, signal);
  assert.is.not(afterP0.path, afterInstall.path);
  await vm.quit();
  await cache.checkpointStopped('shutdown', {});
  await cache.close({ failed: false, cancelled: false, keepFiles: false });
  return { log, last: afterP0.path };
}

test('a first build stores each stage; the next resumes, the one after needs no VM', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE('echo one'), 'x.iso': '' });
  const cacheDir = join(dir, 'cache');
  const first = await fullRun(dir, cacheDir);
  assert.ok(first.log.lines.includes('info: cache: nothing to resume from: install: not in the cache yet'), first.log.lines.join('\n'));

  // Unchanged: every stage cached, the result is the last layer, the key comes back.
  const again = await open(dir, cacheDir);
  assert.ok(again.cache.finished);
  assert.is((await again.cache.prepareDisk(new AbortController().signal)).path, first.last);
  assert.equal(again.cache.sshKey, { privateKey: KEY.privateKey, publicKey: KEY.publicKey });
  assert.is(again.cache.provisionersDone, 1);
  await again.cache.close({ failed: false, cancelled: false, keepFiles: false });

  // The provisioner changed: resume from the install, with its key, and nothing provisioned.
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE('echo two'));
  const changed = await open(dir, cacheDir);
  assert.not.ok(changed.cache.finished);
  assert.is(changed.cache.resumed?.record.stage, 'install');
  assert.is(changed.cache.provisionersDone, 0);
  assert.ok(changed.log.lines.some((l) => l.startsWith('info: cache: resuming from install (1 of 3 stages cached')), changed.log.lines.join('\n'));
  assert.ok(changed.log.lines.includes('info: cache: provision[0]: inline commands changed'), changed.log.lines.join('\n'));
  await changed.cache.prepareDisk(new AbortController().signal);
  // A failed build removes the disk it did not finish, keeps the layers it had.
  await changed.cache.close({ failed: true, cancelled: false, keepFiles: false });
  const listing = await new LayerStore(cacheDir).list();
  assert.is(listing.layers.length, 3);
  assert.equal(listing.leftovers, []);
});

test('ssh: none: one stage, stored once the guest powered off, then exported with no VM; UEFI vars travel with it', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE('x').replace(/ssh: .*\n/, 'ssh: none\n').replace(/provision:[\s\S]*$/, ''), 'vars.fd': 'nvram', 'x.iso': '' });
  const cacheDir = join(dir, 'cache');
  const signal = new AbortController().signal;
  const first = await open(dir, cacheDir);
  assert.is(first.cache.plan.stages.length, 1);
  const disk = await first.cache.prepareDisk(signal);
  await first.cache.checkpointStopped('install', { efiVars: join(dir, 'vars.fd') });
  await first.cache.close({ failed: false, cancelled: false, keepFiles: false });

  const again = await open(dir, cacheDir);
  assert.ok(again.cache.finished);
  assert.is((await again.cache.prepareDisk(signal)).path, disk.path);
  assert.is(await readFile(again.cache.efiVars!, 'utf8'), 'nvram');
  await again.cache.close({ failed: false, cancelled: false, keepFiles: false });

  // Changed NVRAM is as bad as a changed disk.
  await writeFile(again.cache.efiVars!, 'tampered');
  const third = await open(dir, cacheDir);
  assert.not.ok(third.cache.finished);
  assert.ok(third.log.lines.some((l) => /efi-vars\.fd is missing or changed/.test(l)), third.log.lines.join('\n'));
  await third.cache.close({ failed: true, cancelled: false, keepFiles: false });
});

test.run();
