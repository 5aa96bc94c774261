// The template's machine section as the VirtualBox VM kiln defines, loaded from real
// template text so that the defaults are the ones normalise fills in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unsupportedFeatures } from '../../../lib/builder/unsupported.js';
import { modifyVmArgs, storageLayout } from '../../../lib/hypervisor/virtualbox/argv.js';
import { vmSpecFromTemplate, type VmPlacement } from '../../../lib/hypervisor/virtualbox/template-spec.js';
import { vboxFeatures, parseVBoxVersion } from '../../../lib/hypervisor/virtualbox/version.js';
import { load, removeScratch } from '../../template/scratch.js';
import { rejection } from '../../helpers/rejection.js';

const PLACE: VmPlacement = { name: 'kiln-deb-1a2b3c4d', baseFolder: '/out/.kiln-work', iso: '/isos/deb.iso', sshHostPort: 40123, serialLog: '/out/serial.log' };
const BASE = ['name: deb', 'hypervisor: virtualbox', 'source: { iso: { url: deb.iso, checksum: none } }', 'ssh: { username: vagrant, port: 2222 }'];

test('defaults: the driver VM_DEFAULTS, the template sizes, SSH forward to ssh.port', async () => {
  const t = await load([...BASE, 'machine: { cpus: 3, memory: 2G, disk: 10G, firmware: efi }'].join('\n'));
  assert.equal(vmSpecFromTemplate(t, PLACE), {
    name: 'kiln-deb-1a2b3c4d',
    osType: 'Other_64',
    baseFolder: '/out/.kiln-work',
    cpus: 3,
    memoryMiB: 2048,
    firmware: 'efi',
    chipset: 'piix3',
    graphics: 'vmsvga',
    vramMiB: 16,
    nicType: '82540EM',
    sshForward: { hostPort: 40123, guestPort: 2222 },
    serialLog: '/out/serial.log',
    disk: { path: '/out/.kiln-work/kiln-deb-1a2b3c4d/deb.vdi', sizeMiB: 10240, interface: 'sata' },
    iso: '/isos/deb.iso',
    modifyvm: [],
  });
});

test('machine.virtualbox keys reach the VBoxManage command lines', async () => {
  const t = await load(
    [...BASE, 'machine:', '  virtualbox: { os_type: Debian_64, chipset: ich9, graphics: vboxsvga, nic_type: virtio, disk_interface: nvme, modifyvm: [[--audio-driver, none]] }'].join('\n'),
  );
  const spec = vmSpecFromTemplate(t, PLACE);
  const args = modifyVmArgs(spec, vboxFeatures(parseVBoxVersion('7.0.14r161095')));
  const after = (option: string) => args[args.indexOf(option) + 1];
  assert.is(after('--chipset'), 'ich9');
  assert.is(after('--graphicscontroller'), 'vboxsvga');
  assert.is(after('--nictype1'), 'virtio');
  assert.is(after('--natpf1'), 'ssh,tcp,127.0.0.1,40123,,2222');
  assert.equal(spec.modifyvm, [['--audio-driver', 'none']]);
  assert.is(spec.osType, 'Debian_64');
  // NVMe for the disk; the installer ISO still goes on IDE.
  assert.equal(storageLayout(spec).controllers.map((c) => c.add), ['pcie', 'ide']);
});

test('ssh: none forwards no port; a fractional MiB of disk is rounded up', async () => {
  const t = await load([...BASE.slice(0, 3), 'ssh: none', 'machine: { disk: 1500K }'].join('\n'));
  const spec = vmSpecFromTemplate(t, { ...PLACE, sshHostPort: undefined });
  assert.is(spec.sshForward, undefined);
  assert.is(spec.disk.sizeMiB, 2);
});

test('a chipset VirtualBox does not have is a template error naming the choices', async () => {
  const error = await rejection(load([...BASE, 'machine: { virtualbox: { chipset: ich10 } }'].join('\n')), 'loaded');
  assert.match(error.message + JSON.stringify(error), /one of piix3, ich9/);
});

test('hypervisor: virtualbox is built; with source.disk it is refused, naming the fix', async () => {
  const iso = await load(BASE.join('\n'));
  assert.equal(unsupportedFeatures(iso).filter((i) => i.path === 'hypervisor' || i.message.includes('QEMU only')), []);
  const disk = await load([...BASE.slice(0, 2), 'source: { disk: { url: base.qcow2, checksum: none } }', BASE[3]].join('\n'));
  const issue = unsupportedFeatures(disk).find((i) => i.message.includes('QEMU only'));
  assert.ok(issue, JSON.stringify(unsupportedFeatures(disk)));
  assert.is(issue.path, 'source.disk');
  assert.match(issue.message, /use hypervisor: qemu/);
  // A seed for the installer is served over HTTP; the CIDATA CD is QEMU's.
  const http = await load([...BASE, 'cloud_init: { via: http }'].join('\n'));
  assert.equal(unsupportedFeatures(http), []);
  const cdrom = await load([...BASE, 'cloud_init: { via: [http, cdrom] }'].join('\n'));
  assert.equal(unsupportedFeatures(cdrom).map((i) => [i.path, /use via: http with virtualbox/.test(i.message)]), [['cloud_init.via', true]]);
});

test('a VirtualBox build without qemu-img on PATH is refused before it starts, saying how to install it', async () => {
  const t = await load(BASE.join('\n'));
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.equal(unsupportedFeatures(t).map((i) => [i.path, /qemu-img, which is not installed: install qemu-img \(Debian\/Ubuntu: apt-get install qemu-utils/.test(i.message)]), [['hypervisor', true]]);
  } finally {
    process.env.PATH = path;
  }
});

test.after(removeScratch);
test.run();
