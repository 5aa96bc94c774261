// Vagrant boxes from a real (small) image, checked member by member against Vagrant's
// documented box format (metadata.json with "provider"), vagrant-libvirt's layouts,
// and for VirtualBox: box.ovf + VMDK + a Vagrantfile whose base_mac is the OVF's NAT MAC.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeBox, type BoxInput } from '../../lib/export/box.js';
import { checkImage } from '../../lib/hypervisor/qemu/qemu-img.js';
import { expectedBytes, guestSha256, sampleImages, sha256, SIZE, tarMembers, untar } from './images.js';
import { child, parseXml, type XmlElement } from './xml.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-box-'));
let images = { qcow2: '', vmdk: '' };
let count = 0;

async function box(overrides: Partial<BoxInput>): Promise<{ file: string; out: string; result: Awaited<ReturnType<typeof writeBox>> }> {
  const n = ++count;
  const file = join(dir, `b${n}.box`);
  const result = await writeBox({
    destination: file,
    name: 'demo',
    provider: 'libvirt',
    disk: images.qcow2,
    virtualBytes: SIZE,
    layout: 'v1',
    compression: 6,
    machine: { cpus: 2, memoryMiB: 1024, osType: 'Debian_64' },
    mtime: 1_700_000_000,
    ...overrides,
  });
  const out = join(dir, `b${n}`);
  mkdirSync(out);
  await untar(file, out);
  return { file, out, result };
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const isGzip = (file: string) => readFileSync(file).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));

test.before(async () => {
  images = await sampleImages(dir);
});

test('libvirt, v1 layout: metadata.json, Vagrantfile, box.img (the qcow2, byte for byte), gzipped', async () => {
  const { file, out, result } = await box({});
  assert.equal(await tarMembers(file), ['metadata.json', 'Vagrantfile', 'box.img']);
  assert.ok(isGzip(file));
  assert.equal(json(join(out, 'metadata.json')), { provider: 'libvirt', format: 'qcow2', virtual_size: 1 });
  assert.is(sha256(readFileSync(join(out, 'box.img'))), sha256(readFileSync(images.qcow2)));
  assert.match(readFileSync(join(out, 'Vagrantfile'), 'utf8'), /config\.vm\.provider :libvirt do \|libvirt\|/);
  assert.is(result.sha256, sha256(readFileSync(file)), 'the recorded checksum is the file\'s');
  assert.is(result.bytes, statSync(file).size);
  assert.equal(result.members, ['metadata.json', 'Vagrantfile', 'box.img']);
});

test('libvirt, v2 layout: the disks list names box.img', async () => {
  const { out } = await box({ layout: 'v2' });
  assert.equal(json(join(out, 'metadata.json')), { provider: 'libvirt', format: 'qcow2', disks: [{ path: 'box.img' }] });
});

test('compression 0 writes a plain tar; 9 is no bigger than 1', async () => {
  const plain = await box({ compression: 0 });
  assert.not.ok(isGzip(plain.file));
  assert.is(readFileSync(plain.file).subarray(257, 262).toString('latin1'), 'ustar');
  const fast = await box({ compression: 1 });
  const small = await box({ compression: 9 });
  assert.ok(small.result.bytes <= fast.result.bytes, `${small.result.bytes} <= ${fast.result.bytes}`);
  assert.ok(fast.result.bytes < plain.result.bytes);
});

test('the user\'s Vagrantfile is appended to the box\'s', async () => {
  const extra = 'Vagrant.configure("2") do |config|\n  config.vm.hostname = "from-user"\nend\n';
  const { out } = await box({ vagrantfile: extra });
  const text = readFileSync(join(out, 'Vagrantfile'), 'utf8');
  assert.ok(text.endsWith(extra));
  assert.is(text.match(/Vagrant\.configure/g)!.length, 2);
});

test('virtualbox: metadata.json, Vagrantfile, box.ovf, the VMDK; base_mac is the OVF NIC\'s MAC', async () => {
  const { file, out } = await box({ provider: 'virtualbox', disk: images.vmdk });
  assert.equal(await tarMembers(file), ['metadata.json', 'Vagrantfile', 'box.ovf', 'box-disk001.vmdk']);
  assert.equal(json(join(out, 'metadata.json')), { provider: 'virtualbox' });

  const env = parseXml(readFileSync(join(out, 'box.ovf'), 'utf8'));
  const ref = child(child(env, 'References'), 'File');
  assert.is(ref.attributes['ovf:href'], 'box-disk001.vmdk');
  assert.is(Number(ref.attributes['ovf:size']), statSync(join(out, 'box-disk001.vmdk')).size);
  assert.is(Number(child(child(env, 'DiskSection'), 'Disk').attributes['ovf:capacity']), SIZE);
  const hardware = child(child(env, 'VirtualSystem'), 'VirtualHardwareSection');
  const nics = hardware.children.filter((i) => i.name === 'Item' && rasd(i, 'ResourceType') === '10');
  assert.is(nics.length, 1);
  // Vagrant's VirtualBox provider needs adapter 1 on NAT, and base_mac is its MAC without colons.
  assert.is(rasd(nics[0]!, 'Connection'), 'NAT');
  const mac = rasd(nics[0]!, 'Address').replaceAll(':', '').toUpperCase();
  assert.match(mac, /^[0-9A-F]{12}$/);
  const vagrantfile = readFileSync(join(out, 'Vagrantfile'), 'utf8');
  assert.is(/config\.vm\.base_mac = "([0-9A-F]{12})"/.exec(vagrantfile)?.[1], mac);
  assert.is(rasd(hardware.children.find((i) => i.name === 'Item' && rasd(i, 'ResourceType') === '3')!, 'VirtualQuantity'), '2');
  assert.is(rasd(hardware.children.find((i) => i.name === 'Item' && rasd(i, 'ResourceType') === '4')!, 'VirtualQuantity'), '1024');

  const disk = join(out, 'box-disk001.vmdk');
  const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', disk])).stdout);
  assert.is(info['format-specific'].data['create-type'], 'streamOptimized');
  assert.ok((await checkImage(disk)).ok);
  assert.is(await guestSha256(disk, 'vmdk'), sha256(expectedBytes()));
});

function rasd(item: XmlElement, name: string): string {
  return child(item, `rasd:${name}`).text;
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
