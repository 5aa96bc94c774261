// Which steps a build has: decided from the template and the driver's capabilities
// (step-lists.ts), and at run time only by what the stage cache holds (when-cached.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext, BuildOptions } from '../../lib/builder/context.js';
import { stepsFor } from '../../lib/builder/step-lists.js';
import { qemuDriver } from '../../lib/hypervisor/qemu/driver.js';
import { virtualBoxDriver } from '../../lib/hypervisor/virtualbox/driver.js';
import { lines, load, removeScratch } from '../template/scratch.js';

test.after(removeScratch);

const OPTIONS: BuildOptions = { force: false, onError: 'cleanup', cacheDir: '/nonexistent', kilnVersion: 't', templateSha256: '0' };
const names = (steps: readonly { name: string }[]) => steps.map((s) => s.name);

const ISO = lines(
  'name: t',
  'source: { iso: { url: x.iso, checksum: none } }',
  'http: { content: { /ks.cfg: "x" } }',
  'boot: { command: ["<enter>"] }',
  'ssh: { username: u, password: p }',
  'provision: [ { shell: { inline: ["true"] } } ]',
  'output: { formats: [qcow2, ova], vagrant: { provider: virtualbox } }',
);

test('an installer build under QEMU: every stage, with the stage cache', async () => {
  const t = await load(ISO);
  assert.equal(names(stepsFor(t, OPTIONS, qemuDriver)), [
    'prepare-output',
    'fetch-source',
    'cache',
    'ssh-key',
    'http-server',
    'create-disk',
    'start-vm',
    'serial-console',
    'boot-command',
    'wait-ssh',
    'guest-clock',
    'checkpoint',
    'provision',
    'shrink',
    'shutdown',
    'checkpoint-final',
    'export',
    'vagrant-box',
    'manifest',
  ]);
});

test('the same template under VirtualBox: no build disk, no cache, the exports before any cleanup', async () => {
  const t = await load(ISO);
  const list = names(stepsFor(t, OPTIONS, virtualBoxDriver));
  const qemuOnly = names(stepsFor(t, OPTIONS, qemuDriver)).filter((n) => !list.includes(n));
  assert.equal(qemuOnly.sort(), ['cache', 'checkpoint', 'checkpoint-final', 'create-disk', 'guest-clock']);
  // Exports need the VM still registered (VBoxManage export): cleanups run after every step.
  assert.ok(list.indexOf('shutdown') < list.indexOf('export') && list.indexOf('export') < list.indexOf('vagrant-box'));
});

test('post_process: one post-process step after the exports and the box, before manifest.json; none without it', async () => {
  const t = await load(`${ISO}post_process: [ { checksum: {} }, { shell-local: { inline: ["true"] } } ]\n`);
  for (const driver of [qemuDriver, virtualBoxDriver]) {
    const list = names(stepsFor(t, OPTIONS, driver));
    assert.equal(list.slice(-4), ['export', 'vagrant-box', 'post-process', 'manifest']);
  }
  assert.not.ok(names(stepsFor(await load(ISO), OPTIONS, qemuDriver)).includes('post-process'));
});

test('ssh: none and nothing served: no key, no login, no shrink; the last checkpoint is the install', async () => {
  const t = await load(lines('name: t', 'source: { iso: { url: x.iso, checksum: none } }', 'boot: { command: ["<enter>"] }', 'ssh: none'));
  assert.equal(names(stepsFor(t, OPTIONS, qemuDriver)), [
    'prepare-output',
    'fetch-source',
    'cache',
    'create-disk',
    'start-vm',
    'serial-console',
    'boot-command',
    'shutdown',
    'checkpoint-final',
    'export',
    'manifest',
  ]);
});

test('a cloud image with a seed: no boot command, the seed served, cloud-init waited for', async () => {
  const t = await load(lines('name: t', 'source: { disk: { path: base.qcow2, checksum: none } }', 'cloud_init: {}', 'ssh: { username: u }'), {
    files: { 'base.qcow2': '' },
  });
  const list = names(stepsFor(t, OPTIONS, qemuDriver));
  assert.not.ok(list.includes('boot-command'));
  for (const name of ['http-server', 'cloud-init-seed', 'wait-cloud-init']) assert.ok(list.includes(name), name);
  assert.ok(list.indexOf('wait-cloud-init') < list.indexOf('checkpoint'), 'the install layer is a configured guest');
  // A live checkpoint keeps the guest's memory: a later build restores the booted, configured guest.
  assert.is(t.cache.memory, true);
});

test('at run time only the cache skips: resumed skips the installer, finished skips the VM', async () => {
  const t = await load(ISO);
  const steps = stepsFor(t, OPTIONS, qemuDriver);
  const skipped = (cache: unknown, restore?: unknown) => names(steps.filter((s) => s.skip?.({ cache, restore } as BuildContext)));
  assert.equal(skipped(undefined), ['guest-clock', 'checkpoint', 'checkpoint-final']);
  assert.equal(skipped({ resumed: 'provision[0]', finished: false }), ['boot-command', 'guest-clock', 'checkpoint']);
  assert.equal(skipped({ resumed: 'provision[0]', finished: false }, { restored: false, why: 'x' }), ['boot-command', 'guest-clock', 'checkpoint']);
  // Only a restored guest has a clock that stood still in the cache.
  assert.equal(skipped({ resumed: 'provision[0]', finished: false }, { restored: true, ms: 900 }), ['boot-command', 'checkpoint']);
  const vmSteps = ['http-server', 'start-vm', 'serial-console', 'boot-command', 'wait-ssh', 'guest-clock', 'checkpoint', 'provision', 'shrink', 'shutdown', 'checkpoint-final'];
  assert.equal(skipped({ resumed: 'shutdown', finished: true }), vmSteps);
  assert.equal(names(stepsFor(t, OPTIONS, virtualBoxDriver).filter((s) => s.skip)), [], 'nothing to skip without a cache');
});

test.run();
