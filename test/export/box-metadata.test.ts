// metadata.json layouts and box Vagrantfiles, against Vagrant's and vagrant-libvirt's formats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOX_MEMBERS, boxVagrantfile, libvirtMetadata, metadataJson, virtualboxMetadata } from '../../lib/export/box-metadata.js';

const GIB = 1024 ** 3;

// [layout, virtual bytes, metadata]
const layouts: [string, 'v1' | 'v2', number, object][] = [
  ['v1, whole GiB', 'v1', 20 * GIB, { provider: 'libvirt', format: 'qcow2', virtual_size: 20 }],
  ['v1 rounds a part GiB up (vagrant-libvirt sizes the volume from it)', 'v1', 4 * GIB + 1, { provider: 'libvirt', format: 'qcow2', virtual_size: 5 }],
  ['v1, under a GiB', 'v1', 300 * 1024 ** 2, { provider: 'libvirt', format: 'qcow2', virtual_size: 1 }],
  ['v2 lists the disk', 'v2', 20 * GIB, { provider: 'libvirt', format: 'qcow2', disks: [{ path: 'box.img' }] }],
];
for (const [label, layout, bytes, want] of layouts) {
  test(`libvirt metadata ${label}`, () => assert.equal(libvirtMetadata(layout, bytes), want));
}

test('virtualbox metadata has the one key Vagrant requires', () => {
  assert.equal(virtualboxMetadata(), { provider: 'virtualbox' });
});

test('metadataJson is JSON with a final newline', () => {
  const text = metadataJson({ provider: 'libvirt' });
  assert.equal(JSON.parse(text), { provider: 'libvirt' });
  assert.ok(text.endsWith('}\n'));
});

test('member names follow each provider\'s convention', () => {
  assert.is(BOX_MEMBERS.libvirt.disk, 'box.img');
  assert.is(BOX_MEMBERS.virtualbox.ovf, 'box.ovf');
});

test('libvirt Vagrantfile: one configure block setting the kvm driver', () => {
  const text = boxVagrantfile({ name: 'debian-12', provider: 'libvirt' });
  assert.match(text, /^# Vagrantfile of the debian-12 box \(libvirt\)/);
  assert.match(text, /Vagrant\.configure\("2"\) do \|config\|\n  config\.vm\.provider :libvirt do \|libvirt\|\n    libvirt\.driver = "kvm"\n  end\nend\n$/);
  assert.not.match(text, /base_mac/);
});

test('virtualbox Vagrantfile: config.vm.base_mac, without colons', () => {
  const text = boxVagrantfile({ name: 'd', provider: 'virtualbox', baseMac: '080027ABCDEF' });
  assert.match(text, /\n  config\.vm\.base_mac = "080027ABCDEF"\nend\n$/);
});

test('the user\'s Vagrantfile is appended after kiln\'s block, as written', () => {
  const extra = 'Vagrant.configure("2") do |config|\n  config.vm.hostname = "x"\nend\n';
  const text = boxVagrantfile({ name: 'd', provider: 'libvirt', extra });
  assert.ok(text.endsWith(`end\n\n# From output.vagrant.vagrantfile:\n${extra}`), text);
  const noNewline = boxVagrantfile({ name: 'd', provider: 'libvirt', extra: 'x = 1' });
  assert.ok(noNewline.endsWith('\nx = 1\n'));
});

test.run();
