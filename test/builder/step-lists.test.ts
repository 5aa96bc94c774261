// Which steps a build runs is decided by the template alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QEMU_STEPS, stepsFor, VIRTUALBOX_ISO_STEPS } from '../../lib/builder/step-lists.js';

const names = (steps: readonly { name: string }[]) => steps.map((s) => s.name);

test('hypervisor selects the list', () => {
  assert.is(stepsFor({ hypervisor: 'qemu' }), QEMU_STEPS);
  assert.is(stepsFor({ hypervisor: 'virtualbox' }), VIRTUALBOX_ISO_STEPS);
});

test('VirtualBox: the same stages without the QEMU disk and the stage cache', () => {
  assert.equal(names(VIRTUALBOX_ISO_STEPS), [
    'prepare-output',
    'fetch-source',
    'ssh-key',
    'http-server',
    'cloud-init-seed',
    'start-vm',
    'serial-console',
    'boot-command',
    'wait-ssh',
    'provision',
    'shrink',
    'shutdown',
    'export',
    'vagrant-box',
    'manifest',
  ]);
  const qemuOnly = names(QEMU_STEPS).filter((n) => !names(VIRTUALBOX_ISO_STEPS).includes(n));
  assert.equal(qemuOnly.sort(), ['cache', 'checkpoint', 'checkpoint-final', 'create-disk', 'wait-cloud-init']);
  // Exports need the VM still registered (VBoxManage export): they come before any cleanup.
  const list = names(VIRTUALBOX_ISO_STEPS);
  assert.ok(list.indexOf('shutdown') < list.indexOf('export') && list.indexOf('export') < list.indexOf('vagrant-box'));
});

test.run();
