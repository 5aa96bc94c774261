// Whatever step of defining or starting a VM fails or is interrupted, nothing stays
// registered with (fake) VirtualBox and no VM files stay on disk.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../lib/errors.js';
import { createVirtualBoxVm, startVirtualBoxVm } from '../../../lib/hypervisor/virtualbox/create.js';
import { parseVBoxVersion } from '../../../lib/hypervisor/virtualbox/version.js';
import type { VmSpec } from '../../../lib/hypervisor/virtualbox/spec.js';
import { inProcessVBoxManage } from '../../fakes/vboxmanage/in-process.js';
import type { FakeVBox } from '../../fakes/vboxmanage/install.js';
import { newFake, removeFakes, testSpec } from './spec-fixture.js';
import { kilnRejection, rejection } from '../../helpers/rejection.js';

const version = parseVBoxVersion('7.0.14r161095');

function assertNothingLeft(fake: FakeVBox, spec: VmSpec): void {
  assert.equal(fake.registered(), [], 'no VM registered');
  assert.equal(fake.state().media, [], 'no medium registered');
  assert.is(existsSync(spec.disk.path), false, 'disk deleted');
  assert.is(existsSync(join(spec.baseFolder, spec.name)), false, 'VM folder deleted');
}

// Each stage made to fail the way it would for real where one exists; else by the fake's fail hook.
const FAILURES: [string, (fake: FakeVBox, spec: VmSpec) => Partial<VmSpec> | void, RegExp][] = [
  ['createvm (settings file exists)', (_f, spec) => {
    mkdirSync(join(spec.baseFolder, spec.name), { recursive: true });
    writeFileSync(join(spec.baseFolder, spec.name, `${spec.name}.vbox`), 'left over');
  }, /already exists/],
  ['modifyvm (escape hatch option unknown)', () => ({ modifyvm: [['--no-such-option', 'x']] }), /Unknown option: --no-such-option/],
  ['second escape-hatch call', () => ({ modifyvm: [['--pae', 'on'], ['--boot1', 'cdrom']] }), /Invalid boot device 'cdrom'/],
  ['storagectl', (f) => f.configure({ fail: [{ command: 'storagectl', message: 'injected storagectl failure' }] }), /injected storagectl failure/],
  ['createmedium (disk file exists)', (_f, spec) => {
    mkdirSync(dirname(spec.disk.path), { recursive: true });
  }, /VERR_ALREADY_EXISTS/],
  ['storageattach of the disk', (f) => f.configure({ fail: [{ command: 'storageattach', message: 'injected attach failure' }] }), /injected attach failure/],
  ['storageattach of the ISO (file missing)', (f) => ({ iso: join(f.dir, 'missing.iso') }), /VERR_FILE_NOT_FOUND/],
  ['startvm', (f) => f.configure({ fail: [{ command: 'startvm', message: 'injected start failure' }] }), /injected start failure/],
];

for (const [stage, arrange, message] of FAILURES) {
  test(`failure at ${stage}: typed error, nothing left`, async () => {
    const fake = newFake();
    let spec = testSpec(fake);
    const over = arrange(fake, spec);
    if (over) spec = { ...spec, ...over };
    let createdDisk = false;
    if (stage.startsWith('createmedium')) {
      // A disk file in the way that VirtualBox does not know; kiln must not delete it.
      writeFileSync(spec.disk.path, 'somebody else');
      createdDisk = true;
    }
    const settings = join(spec.baseFolder, spec.name, `${spec.name}.vbox`);
    const foreign = existsSync(settings);
    const error = await kilnRejection(startVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), version }));
    assert.is(error.code, 'E_TOOL');
    assert.match(error.message, message);
    assert.equal(fake.registered(), []);
    assert.equal(fake.state().media, []);
    if (!foreign && !createdDisk) {
      assert.is(existsSync(spec.disk.path), false, 'disk deleted');
      assert.is(existsSync(join(spec.baseFolder, spec.name)), false, 'VM folder deleted');
    }
    // Files kiln did not create are left alone.
    if (foreign) assert.ok(existsSync(settings), 'a foreign settings file stays');
    if (createdDisk) assert.is(readFileSync(spec.disk.path, 'utf8'), 'somebody else');
  });
}

// Ctrl-C arriving while each command is about to run.
const STAGES = ['createvm', 'modifyvm', 'storagectl', 'createmedium', 'storageattach', 'startvm'];
for (const command of STAGES) {
  test(`abort before ${command}: CancelledError, nothing left`, async () => {
    const fake = newFake();
    const spec = testSpec(fake, { modifyvm: [['--pae', 'on']] });
    const controller = new AbortController();
    const vbox = inProcessVBoxManage(fake, (args) => {
      if (args[0] === command) controller.abort();
    });
    const error = await rejection(startVirtualBoxVm({ spec, vbox, version, signal: controller.signal }));
    assert.ok(error instanceof CancelledError, String(error));
    assertNothingLeft(fake, spec);
  });
}

test('abort after the VM started: destroy powers it off and unregisters it', async () => {
  const fake = newFake();
  const spec = testSpec(fake);
  const vm = await startVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), version, pollIntervalMs: 50 });
  assert.is(fake.vm(spec.name)?.state, 'running');
  await vm.destroy();
  assertNothingLeft(fake, spec);
  assert.equal(await vm.exited, { state: 'unregistered' });
  await vm.destroy(); // twice is fine
});

test('destroy of a VM someone else already removed', async () => {
  const fake = newFake();
  const spec = testSpec(fake);
  const vbox = inProcessVBoxManage(fake);
  const vm = await createVirtualBoxVm({ spec, vbox, version });
  await vbox.run(['unregistervm', spec.name, '--delete']);
  await vm.destroy();
  assertNothingLeft(fake, spec);
});

test('a created disk that never got attached is closed and deleted', async () => {
  const fake = newFake();
  const spec = testSpec(fake);
  fake.configure({ fail: [{ command: 'storageattach', message: 'injected' }] });
  await createVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), version }).catch(() => {});
  const calls = fake.state().calls.map((c) => c.argv[0]);
  assert.ok(calls.includes('closemedium'), calls.join(' '));
  assertNothingLeft(fake, spec);
});

test('a VM that cannot be unregistered is named in the error, with the command to remove it', async () => {
  const fake = newFake();
  const spec = testSpec(fake);
  const vm = await createVirtualBoxVm({ spec, vbox: inProcessVBoxManage(fake), version });
  fake.configure({ fail: [{ command: 'unregistervm', message: 'injected: disk busy', times: 99 }] });
  const error = await kilnRejection(vm.destroy());
  assert.match(error.message, new RegExp(`could not unregister VirtualBox VM ${spec.name}: injected: disk busy`));
  assert.match(error.hint ?? '', new RegExp(`VBoxManage unregistervm ${spec.name} --delete`));
  fake.configure({ fail: [] });
});

test.after(removeFakes);
test.run();
