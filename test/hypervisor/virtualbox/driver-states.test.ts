// Versions and power states, through the driver against the fake VBoxManage run
// in-process (inProcessVBoxManage): the same fake, without a process per call.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../lib/errors.js';
import { createVirtualBoxVm, startVirtualBoxVm } from '../../../lib/hypervisor/virtualbox/create.js';
import { inProcessVBoxManage } from '../../fakes/vboxmanage/in-process.js';
import { callsOf, newFake, removeFakes, testSpec } from './spec-fixture.js';
import { kilnRejection, rejection } from '../../helpers/rejection.js';

test('6.1: no --nat-localhostreachable (6.1 rejects it), and the rest is accepted', async () => {
  const fake = newFake('6.1.50r161033');
  const spec = testSpec(fake, { modifyvm: [['--audio', 'none']] });
  const vm = await startVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  assert.is(vm.version.major, 6);
  const modify = callsOf(fake, 'modifyvm');
  assert.ok(modify.length === 2 && modify.every((c) => c.exit === 0), JSON.stringify(modify));
  assert.not.ok(modify[0]!.argv.some((a) => a.includes('localhostreachable')));
  assert.is(fake.vm(spec.name)!.settings.audio, 'none');
  await vm.destroy();
  assert.equal(fake.registered(), []);
});

test('7.1: createvm names the platform architecture', async () => {
  const fake = newFake('7.1.4r165100');
  const spec = testSpec(fake);
  const vm = await createVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake) });
  assert.ok(callsOf(fake, 'createvm')[0]!.argv.includes('--platform-architecture'));
  await vm.destroy();
  assert.equal(fake.registered(), []);
});

test('a guest that ignores the ACPI button: waitForExit times out, kill powers it off', async () => {
  const fake = newFake();
  fake.configure({ acpi: 'ignore' });
  const spec = testSpec(fake);
  const vm = await startVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  await vm.powerdown();
  assert.is(await vm.waitForExit(800), false);
  assert.equal(await vm.kill(), { state: 'poweroff' });
  assert.equal(await vm.kill(), { state: 'poweroff' }, 'killing twice is harmless');
  await vm.destroy();
  assert.equal(fake.registered(), []);
});

test('waitForExit honours the abort signal', async () => {
  const fake = newFake();
  const vm = await startVirtualBoxVm({ spec: testSpec(fake), vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  assert.instance(await rejection(vm.waitForExit(60_000, controller.signal)), CancelledError);
  await vm.destroy();
});

test('typing into a VM that powered off is a boot error', async () => {
  const fake = newFake();
  const vm = await startVirtualBoxVm({ spec: testSpec(fake), vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  await vm.kill();
  const error = await kilnRejection(vm.sendScancodes(['1c', '9c']));
  assert.is(error.code, 'E_BOOT');
  assert.match(error.message, /not running/);
  await vm.destroy();
});

test('export refuses a running VM', async () => {
  const fake = newFake();
  const vm = await startVirtualBoxVm({ spec: testSpec(fake), vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  assert.is((await kilnRejection(vm.exportAppliance({ output: join(fake.dir, 'x.ova') }))).code, 'E_EXPORT');
  await vm.destroy();
});

test('after poweroff the session lingers: unregistering is retried until it is free', async () => {
  const fake = newFake();
  fake.configure({ unlockDelayMs: 1_500 });
  const spec = testSpec(fake);
  const vm = await startVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), pollIntervalMs: 100 });
  await vm.destroy();
  assert.equal(fake.registered(), []);
  const unregisters = callsOf(fake, 'unregistervm');
  assert.ok(unregisters.length >= 2 && unregisters.at(-1)!.exit === 0, JSON.stringify(unregisters.map((c) => c.exit)));
});

test('an old VirtualBox is refused before anything is created', async () => {
  const fake = newFake('6.0.24r139119');
  assert.match((await kilnRejection(createVirtualBoxVm({ spec: testSpec(fake), vbox: inProcessVBoxManage(fake) }))).message, /too old/);
  assert.equal(callsOf(fake, 'createvm'), []);
});

test.after(removeFakes);
test.run();
