// The virtualbox-iso builder's keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { block, MINIMAL_QEMU, packerBuild, runCases } from './packer-build.js';

const MINIMAL = { ...MINIMAL_QEMU, guest_additions_mode: 'disable', virtualbox_version_file: '' };

runCases('virtualbox-iso', MINIMAL, [
  {
    name: 'the minimal source, with Packer\'s defaults',
    settings: {},
    expect: {
      hypervisor: 'virtualbox',
      'machine.cpus': 1,
      'machine.memory': 512,
      'machine.disk': 40000,
      'machine.virtualbox': { disk_interface: 'ide', os_type: 'Other' },
      'output.formats': ['ova'],
      'output.compress': undefined,
    },
  },
  {
    name: 'machine.virtualbox keys',
    settings: { guest_os_type: 'Debian_64', chipset: 'ich9', gfx_controller: 'vmsvga', nic_type: 'virtio', hard_drive_interface: 'pcie', firmware: 'efi' },
    expect: {
      'machine.virtualbox': { os_type: 'Debian_64', chipset: 'ich9', graphics: 'vmsvga', nic_type: 'virtio', disk_interface: 'nvme' },
      'machine.firmware': 'efi',
    },
  },
  { name: 'hard_drive_interface virtio is virtio-scsi', settings: { hard_drive_interface: 'virtio' }, expect: { 'machine.virtualbox.disk_interface': 'virtio-scsi' } },
  { name: 'an unknown hard_drive_interface', settings: { hard_drive_interface: 'usb' }, problems: { hard_drive_interface: /"usb" is not one of ide, sata, scsi, pcie, virtio/ } },
  { name: 'firmware efi64', settings: { firmware: 'efi64' }, expect: { 'machine.firmware': 'efi' }, notes: ['firmware'] },
  { name: 'firmware efi32', settings: { firmware: 'efi32' }, problems: { firmware: /use bios or efi/ } },
  {
    name: 'vboxmanage: modifyvm calls kept, others refused',
    settings: {
      vboxmanage: [
        ['modifyvm', '{{.Name}}', '--audio', 'none'],
        ['modifyvm', '{{ .Name }}', '--nat-localhostreachable1', 'on'],
        ['storagectl', '{{.Name}}', '--name', 'IDE Controller', '--hostiocache', 'on'],
        ['modifyvm', '{{.Name}}', '--natpf1', 'guest,tcp,,{{ .SSHHostPort }},,22'],
      ],
    },
    expect: { 'machine.virtualbox.modifyvm': [['--audio', 'none'], ['--nat-localhostreachable1', 'on']] },
    problems: {
      vboxmanage: [/storagectl \{\{\.Name\}\} --name IDE Controller --hostiocache on: kiln runs only "modifyvm/, /--natpf1 guest,tcp,,\{\{ \.SSHHostPort \}\},,22: kiln passes modifyvm arguments as written/],
    },
  },
  { name: 'vboxmanage_post', settings: { vboxmanage_post: [['modifyvm', '{{.Name}}', '--memory', '1024']] }, problems: { vboxmanage_post: /after provisioning/ } },
  { name: 'format ovf is an OVA', settings: { format: 'ovf' }, expect: { 'output.formats': ['ova'] }, notes: ['format'] },
  { name: 'format qcow2 is not VirtualBox\'s', settings: { format: 'qcow2' }, problems: { format: /not ovf or ova/ } },
  { name: 'guest additions uploaded', settings: { guest_additions_mode: 'upload', guest_additions_path: 'x.iso' }, problems: { guest_additions_mode: /does not upload the Guest Additions/ }, notes: ['guest_additions_path'] },
  { name: 'a version file', settings: { virtualbox_version_file: '.vbox_version' }, notes: ['virtualbox_version_file'] },
  { name: 'display and vrdp keys', settings: { headless: true, vrdp_port_min: 5900, gfx_vram_size: 64 }, notes: ['headless', 'vrdp_port_min', 'gfx_vram_size'] },
  {
    name: 'disable_shutdown: the guest powers itself off',
    settings: { shutdown_command: undefined, disable_shutdown: true },
    expect: { 'shutdown.command': 'none' },
    notes: ['disable_shutdown'],
  },
  { name: 'keep_registered', settings: { keep_registered: true }, problems: { keep_registered: /always unregisters/ } },
  { name: 'disk_image on virtualbox', settings: { disk_image: true }, expect: { 'source.iso.url': 'https://example.org/debian.iso' }, problems: { disk_image: /not a key of the virtualbox-iso builder/ } },
  { name: 'a qemu key on virtualbox', settings: { qemuargs: [['-m', '1G']] }, problems: { qemuargs: /not a key of the virtualbox-iso builder/ } },
  { name: 'a misspelt key', settings: { guest_os_typ: 'Debian_64' }, problems: { guest_os_typ: /did you mean "guest_os_type"\?/ } },
]);

test('virtualbox-iso with Packer\'s defaults: notes for the Guest Additions and .vbox_version it would upload', () => {
  const source = block('virtualbox-iso', MINIMAL_QEMU);
  const { notes, problems } = translateBuild(packerBuild(source));
  assert.equal(problems, []);
  const atBlock = notes.filter((n) => n.pos.line === source.pos.line).map((n) => n.message);
  assert.ok(atBlock.some((m) => m.startsWith('guest_additions_mode is "upload" by default')));
  assert.ok(atBlock.some((m) => m.startsWith('virtualbox_version_file is ".vbox_version" by default')));
});

test.run();
