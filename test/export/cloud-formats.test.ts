// The cloud import formats, written from a small disk and checked the way the providers
// read them: qemu-img's view of the VHD and the streamOptimized VMDK, GNU tar's of the
// GCE archive.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertImage } from '../../lib/export/convert.js';
import { dataExtents, writeGceArchive } from '../../lib/export/gce.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { guestSha256, sha256 } from './images.js';

const MIB = 1 << 20;
const GIB = 1024 ** 3;
const dir = mkdtempSync(join(tmpdir(), 'kiln-cloud-formats-'));
// Not a whole MiB: Azure's rounding has something to do.
const ODD_SIZE = 10 * MIB + 1536;
const source = join(dir, 'odd.qcow2');

const info = async (path: string, format: string) =>
  JSON.parse((await execa('qemu-img', ['info', '-f', format, '--output=json', path])).stdout) as Record<string, unknown> & { 'virtual-size': number };

test.before(async () => {
  await createDisk(source, ODD_SIZE, 'qcow2');
  await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 1M', '-c', 'write -P 0x11 6M 512k', source]);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('vhd: a fixed VHD whose virtual size is the disk rounded up to a whole MiB, holding the same bytes', async () => {
  const vhd = join(dir, 'd.vhd');
  await convertImage({ source, sourceFormat: 'qcow2', destination: vhd, format: 'vpc', compress: false });
  const read = await info(vhd, 'vpc');
  assert.is(read.format, 'vpc');
  assert.is(read['virtual-size'], 11 * MIB);
  assert.is(read['virtual-size'] % MIB, 0);
  // A fixed VHD is the disk's bytes then a 512-byte footer: cookie, disk type 2 (fixed), current size.
  const size = statSync(vhd).size;
  assert.is(size, 11 * MIB + 512);
  const footer = Buffer.alloc(512);
  const fd = openSync(vhd, 'r');
  readSync(fd, footer, 0, 512, size - 512);
  closeSync(fd);
  assert.is(footer.toString('latin1', 0, 8), 'conectix');
  assert.is(footer.readUInt32BE(60), 2, 'disk type fixed');
  assert.is(Number(footer.readBigUInt64BE(48)), 11 * MIB, 'current size');
  // The guest sees the source's bytes, then zeros up to the rounded size.
  const inVhd = await guestSha256(vhd, 'vpc');
  const padded = join(dir, 'padded.raw');
  await execa('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', source, padded]);
  await execa('truncate', ['-s', String(11 * MIB), padded]);
  assert.is(inVhd, sha256(readFileSync(padded)));
  assert.ok(statSync(vhd).blocks * 512 < 4 * MIB, 'zeros stay holes on the host');
});

test('vmdk-stream: qemu-img reads create_type streamOptimized', async () => {
  const vmdk = join(dir, 'd-stream.vmdk');
  await convertImage({ source, sourceFormat: 'qcow2', destination: vmdk, format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: false });
  const read = await info(vmdk, 'vmdk');
  const specific = read['format-specific'] as { data: { 'create-type': string } };
  assert.is(specific.data['create-type'], 'streamOptimized');
  assert.is(await guestSha256(vmdk, 'vmdk'), await guestSha256(source, 'qcow2'));
});

test('gce: exactly disk.raw, GNU format, sparse, a whole GiB, extracting to the same bytes', async () => {
  const raw = join(dir, 'gce.raw');
  await convertImage({ source, sourceFormat: 'qcow2', destination: raw, format: 'raw', compress: false });
  const archive = join(dir, 'd-gce.tar.gz');
  const written = await writeGceArchive({ destination: archive, raw, mtime: 1_700_000_000 });
  assert.is(written.diskBytes, GIB);
  assert.is(written.bytes, statSync(archive).size);
  assert.is(written.sha256, sha256(readFileSync(archive)));

  const listing = (await execa('tar', ['tvzf', archive])).stdout.trim().split('\n');
  assert.is(listing.length, 1);
  assert.match(listing[0]!, /\s1073741824 .* disk\.raw$/);
  const tar = gunzipSync(readFileSync(archive));
  assert.is(tar.toString('latin1', 257, 265), 'ustar  \0', 'GNU magic');
  assert.is(tar.toString('latin1', 156, 157), 'S', 'a sparse member');
  assert.ok(tar.length < 4 * MIB, `only the data is stored: ${tar.length} bytes of tar`);

  const out = join(dir, 'extracted');
  await execa('mkdir', ['-p', out]);
  await execa('tar', ['xzSf', archive, '-C', out]);
  const extracted = join(out, 'disk.raw');
  assert.is(statSync(extracted).size, GIB);
  await execa('truncate', ['-s', String(GIB), raw]);
  await execa('cmp', [raw, extracted]); // exits non-zero (and throws) on the first differing byte
});

test('gce: a disk with many data runs needs extension blocks of the sparse map, and still extracts exactly', async () => {
  const raw = join(dir, 'striped.raw');
  writeFileSync(raw, '');
  await execa('truncate', ['-s', String(64 * MIB), raw]);
  // 30 runs of 4 KiB, 1 MiB apart: more than the header's 4 entries and one 21-entry extension.
  const commands = Array.from({ length: 30 }, (_, i) => ['-c', `write -P ${i + 1} ${i * MIB + 8192} 4k`]).flat();
  await execa('qemu-io', ['-f', 'raw', ...commands, raw]);
  assert.is((await dataExtents(raw)).length, 30);
  const archive = join(dir, 'striped.tar.gz');
  await writeGceArchive({ destination: archive, raw, mtime: 0 });
  const out = join(dir, 'striped-out');
  await execa('mkdir', ['-p', out]);
  await execa('tar', ['xzSf', archive, '-C', out]);
  await execa('truncate', ['-s', String(GIB), raw]);
  await execa('cmp', [raw, join(out, 'disk.raw')]); // exits non-zero (and throws) on the first differing byte
});

test.run();
