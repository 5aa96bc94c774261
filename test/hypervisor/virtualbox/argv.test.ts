import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeMediumArgs,
  createMediumArgs,
  createVmArgs,
  extraModifyVmArgs,
  modifyVmArgs,
  natRule,
  showVmInfoArgs,
  startVmArgs,
  storageAttachArgs,
  storageCtlArgs,
  storageLayout,
  unregisterVmArgs,
} from '../../../lib/hypervisor/virtualbox/argv.js';
import { acpiPowerButtonArgs, exportArgs, keyboardPutScancodeArgs, powerOffArgs, screenshotPngArgs } from '../../../lib/hypervisor/virtualbox/control-argv.js';
import { uniqueVmName, type VmSpec } from '../../../lib/hypervisor/virtualbox/spec.js';
import type { VBoxFeatures } from '../../../lib/hypervisor/virtualbox/version.js';

const V61: VBoxFeatures = { natLocalhostReachable: false, platformArchitecture: false };
const V70: VBoxFeatures = { natLocalhostReachable: true, platformArchitecture: false };
const V71: VBoxFeatures = { natLocalhostReachable: true, platformArchitecture: true };

const spec = (over: Partial<VmSpec> = {}): VmSpec => ({
  name: 'kiln-demo-0a1b2c3d',
  osType: 'Debian_64',
  baseFolder: '/w/vbox',
  cpus: 2,
  memoryMiB: 2048,
  firmware: 'bios',
  chipset: 'piix3',
  graphics: 'vmsvga',
  vramMiB: 16,
  nicType: '82540EM',
  disk: { path: '/w/vbox/disk.vdi', sizeMiB: 20480, interface: 'sata' },
  modifyvm: [],
  ...over,
});

test('uniqueVmName', () => {
  assert.is(uniqueVmName('debian-12', '0a1b2c3d'), 'kiln-debian-12-0a1b2c3d');
});

const CREATE: [string, VBoxFeatures, string[]][] = [
  ['6.1', V61, ['createvm', '--name', 'kiln-demo-0a1b2c3d', '--ostype', 'Debian_64', '--basefolder', '/w/vbox', '--register']],
  ['7.0', V70, ['createvm', '--name', 'kiln-demo-0a1b2c3d', '--ostype', 'Debian_64', '--basefolder', '/w/vbox', '--register']],
  ['7.1', V71, ['createvm', '--name', 'kiln-demo-0a1b2c3d', '--ostype', 'Debian_64', '--platform-architecture', 'x86', '--basefolder', '/w/vbox', '--register']],
];
for (const [label, features, argv] of CREATE) {
  test(`createvm on ${label}`, () => assert.equal(createVmArgs(spec(), features), argv));
}

const BASE_MODIFY = [
  'modifyvm', 'kiln-demo-0a1b2c3d', '--cpus', '2', '--memory', '2048', '--firmware', 'bios', '--chipset', 'piix3',
  '--graphicscontroller', 'vmsvga', '--vram', '16', '--ioapic', 'on', '--acpi', 'on', '--rtcuseutc', 'on',
  '--boot1', 'disk', '--boot2', 'dvd', '--boot3', 'none', '--boot4', 'none',
  '--nic1', 'nat', '--nictype1', '82540EM', '--cableconnected1', 'on',
];
const MODIFY: [string, VmSpec, VBoxFeatures, string[]][] = [
  ['6.1: no localhost option', spec(), V61, BASE_MODIFY],
  ['7.x: guest may reach the host loopback', spec(), V70, [...BASE_MODIFY, '--nat-localhostreachable1', 'on']],
  [
    'SSH forward and serial file',
    spec({ sshForward: { hostPort: 40022, guestPort: 22 }, serialLog: '/out/serial.log' }),
    V61,
    [...BASE_MODIFY, '--natpf1', 'ssh,tcp,127.0.0.1,40022,,22', '--uart1', '0x3F8', '4', '--uartmode1', 'file', '/out/serial.log'],
  ],
  [
    'efi, ich9, vboxsvga, virtio NIC',
    spec({ firmware: 'efi', chipset: 'ich9', graphics: 'vboxsvga', nicType: 'virtio', vramMiB: 64 }),
    V61,
    BASE_MODIFY.map((a, i, all) => (all[i - 1] === '--firmware' ? 'efi' : all[i - 1] === '--chipset' ? 'ich9' : all[i - 1] === '--graphicscontroller' ? 'vboxsvga' : all[i - 1] === '--nictype1' ? 'virtio' : all[i - 1] === '--vram' ? '64' : a)),
  ],
  [
    'boot order given short is padded with none',
    spec({ bootOrder: ['dvd', 'disk'] }),
    V61,
    BASE_MODIFY.map((a, i, all) => (all[i - 1] === '--boot1' ? 'dvd' : all[i - 1] === '--boot2' ? 'disk' : a)),
  ],
];
for (const [label, s, features, argv] of MODIFY) {
  test(`modifyvm: ${label}`, () => assert.equal(modifyVmArgs(s, features), argv));
}

test('the modifyvm escape hatch: one call per list, in order, after kiln', () => {
  const extra = [['--nictype1', 'virtio'], ['--audio-driver', 'none', '--usb', 'off']];
  assert.equal(extraModifyVmArgs(spec({ modifyvm: extra })), [
    ['modifyvm', 'kiln-demo-0a1b2c3d', '--nictype1', 'virtio'],
    ['modifyvm', 'kiln-demo-0a1b2c3d', '--audio-driver', 'none', '--usb', 'off'],
  ]);
  assert.equal(extraModifyVmArgs(spec()), []);
});

test('natRule', () => {
  assert.is(natRule('ssh', 2222, 22), 'ssh,tcp,127.0.0.1,2222,,22');
});

const LAYOUTS: [string, Partial<VmSpec>, string[][], string[][]][] = [
  [
    'SATA disk and an ISO on IDE',
    { iso: '/c/installer.iso' },
    [
      ['storagectl', 'vm', '--name', 'SATA Controller', '--add', 'sata', '--controller', 'IntelAhci', '--bootable', 'on'],
      ['storagectl', 'vm', '--name', 'IDE Controller', '--add', 'ide', '--controller', 'PIIX4', '--bootable', 'on'],
    ],
    [
      ['storageattach', 'vm', '--storagectl', 'SATA Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/w/vbox/disk.vdi'],
      ['storageattach', 'vm', '--storagectl', 'IDE Controller', '--port', '0', '--device', '0', '--type', 'dvddrive', '--medium', '/c/installer.iso'],
    ],
  ],
  [
    'IDE disk shares the controller with the DVD (port 1)',
    { iso: '/c/i.iso', disk: { path: '/d.vdi', sizeMiB: 1, interface: 'ide' } },
    [['storagectl', 'vm', '--name', 'IDE Controller', '--add', 'ide', '--controller', 'PIIX4', '--bootable', 'on']],
    [
      ['storageattach', 'vm', '--storagectl', 'IDE Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/d.vdi'],
      ['storageattach', 'vm', '--storagectl', 'IDE Controller', '--port', '1', '--device', '0', '--type', 'dvddrive', '--medium', '/c/i.iso'],
    ],
  ],
  [
    'no ISO (disk already installed): no DVD controller',
    { disk: { path: '/d.vdi', sizeMiB: 1, interface: 'virtio-scsi' } },
    [['storagectl', 'vm', '--name', 'VirtioSCSI Controller', '--add', 'virtio-scsi', '--bootable', 'on']],
    [['storageattach', 'vm', '--storagectl', 'VirtioSCSI Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/d.vdi']],
  ],
  [
    'NVMe is a PCIe controller',
    { disk: { path: '/d.vdi', sizeMiB: 1, interface: 'nvme' } },
    [['storagectl', 'vm', '--name', 'NVMe Controller', '--add', 'pcie', '--controller', 'NVMe', '--bootable', 'on']],
    [['storageattach', 'vm', '--storagectl', 'NVMe Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/d.vdi']],
  ],
  [
    'SCSI disk',
    { disk: { path: '/d.vdi', sizeMiB: 1, interface: 'scsi' } },
    [['storagectl', 'vm', '--name', 'SCSI Controller', '--add', 'scsi', '--controller', 'LsiLogic', '--bootable', 'on']],
    [['storageattach', 'vm', '--storagectl', 'SCSI Controller', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/d.vdi']],
  ],
];
for (const [label, over, ctls, attaches] of LAYOUTS) {
  test(`storage: ${label}`, () => {
    const layout = storageLayout(spec(over));
    assert.equal(layout.controllers.map((c) => storageCtlArgs('vm', c)), ctls);
    assert.equal(layout.attachments.map((a) => storageAttachArgs('vm', a)), attaches);
  });
}

test('createmedium: a VDI of the size in MiB', () => {
  assert.equal(createMediumArgs('/w/disk.vdi', 20480), ['createmedium', 'disk', '--filename', '/w/disk.vdi', '--size', '20480', '--format', 'VDI', '--variant', 'Standard']);
});

const SIMPLE: [string, string[], string[]][] = [
  ['startvm headless', startVmArgs('vm'), ['startvm', 'vm', '--type', 'headless']],
  ['showvminfo', showVmInfoArgs('vm'), ['showvminfo', 'vm', '--machinereadable']],
  ['unregistervm --delete', unregisterVmArgs('vm'), ['unregistervm', 'vm', '--delete']],
  ['closemedium --delete', closeMediumArgs('/d.vdi'), ['closemedium', 'disk', '/d.vdi', '--delete']],
  ['acpipowerbutton', acpiPowerButtonArgs('vm'), ['controlvm', 'vm', 'acpipowerbutton']],
  ['poweroff', powerOffArgs('vm'), ['controlvm', 'vm', 'poweroff']],
  ['screenshotpng', screenshotPngArgs('vm', '/o/s.png'), ['controlvm', 'vm', 'screenshotpng', '/o/s.png']],
  ['keyboardputscancode', keyboardPutScancodeArgs('vm', ['2a', '1e', '9e', 'aa']), ['controlvm', 'vm', 'keyboardputscancode', '2a', '1e', '9e', 'aa']],
  ['export OVA', exportArgs('vm', { output: '/o/x.ova' }), ['export', 'vm', '--output', '/o/x.ova', '--ovf10']],
  [
    'export OVF with manifest and a system name',
    exportArgs('vm', { output: '/o/box.ovf', manifest: true, vmName: 'demo' }),
    ['export', 'vm', '--output', '/o/box.ovf', '--ovf10', '--manifest', '--vsys', '0', '--vmname', 'demo'],
  ],
];
for (const [label, actual, expected] of SIMPLE) {
  test(label, () => assert.equal(actual, expected));
}

test('keyboardputscancode refuses anything but hex bytes', () => {
  for (const bad of ['2', '1e9', 'zz', '']) assert.throws(() => keyboardPutScancodeArgs('vm', [bad]), /scancode byte/);
});

test('export refuses other extensions', () => {
  assert.throws(() => exportArgs('vm', { output: '/o/x.tar' }), /\.ova or \.ovf/);
});

test.run();
