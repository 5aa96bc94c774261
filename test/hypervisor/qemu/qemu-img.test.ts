import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkImage, createDisk, imageInfo, qemuImgSupportsZstd } from '../../../lib/hypervisor/qemu/qemu-img.js';
import { convertImage } from '../../../lib/export/convert.js';
import { kilnRejection } from '../../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-img-'));


test('createDisk qcow2 is sparse and reports its virtual size', async () => {
  const path = join(dir, 'a.qcow2');
  await createDisk(path, 20 * 1024 ** 3, 'qcow2');
  const info = await imageInfo(path);
  assert.is(info.format, 'qcow2');
  assert.is(info.virtualSize, 20 * 1024 ** 3);
  assert.ok(info.actualSize < 1024 ** 2, `a new 20G qcow2 takes ${info.actualSize} bytes`);
  assert.is(info.backingFile, undefined);
});

test('createDisk raw', async () => {
  const path = join(dir, 'a.raw');
  await createDisk(path, 8 << 20, 'raw');
  const info = await imageInfo(path);
  assert.is(info.format, 'raw');
  assert.is(info.virtualSize, 8 << 20);
});

test('createDisk with a backing image makes an overlay grown to the new size', async () => {
  const base = join(dir, 'base.qcow2');
  await createDisk(base, 16 << 20, 'qcow2');
  const overlay = join(dir, 'overlay.qcow2');
  await createDisk(overlay, 32 << 20, 'qcow2', { backing: { path: base, format: 'qcow2' } });
  const info = await imageInfo(overlay);
  assert.is(info.backingFile, base);
  assert.is(info.virtualSize, 32 << 20);
  const error = await kilnRejection(createDisk(join(dir, 'o.raw'), 1 << 20, 'raw', { backing: { path: base, format: 'qcow2' } }));
  assert.match(error.message, /only qcow2/);
});

test('imageInfo of a missing file is E_TOOL with qemu-img\'s reason', async () => {
  const error = await kilnRejection(imageInfo(join(dir, 'nope.qcow2')));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.message, /nope\.qcow2.*No such file or directory/);
  assert.not.match(error.message, /qemu-img: /, 'the tool prefix is trimmed');
});

test('checkImage: clean qcow2, unsupported raw, corrupted qcow2', async () => {
  const good = join(dir, 'good.qcow2');
  await createDisk(good, 8 << 20, 'qcow2');
  assert.equal(await checkImage(good), { supported: true, ok: true, corruptions: 0, leaks: 0 });

  const raw = join(dir, 'check.raw');
  await createDisk(raw, 1 << 20, 'raw');
  assert.equal(await checkImage(raw), { supported: false, ok: true, corruptions: 0, leaks: 0 });

  // Write a cluster, then point its L2 entry (found through the header's L1 table) far
  // past the end of the file: qemu-img check must count that as corruption.
  const bad = join(dir, 'bad.qcow2');
  await createDisk(bad, 8 << 20, 'qcow2');
  await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 64k', bad]);
  const fd = openSync(bad, 'r+');
  const u64 = (position: number) => {
    const b = Buffer.alloc(8);
    readSync(fd, b, 0, 8, position);
    return b.readBigUInt64BE();
  };
  const l1Offset = Number(u64(40));
  const l2Offset = Number(u64(l1Offset) & 0x00fffffffffffe00n);
  assert.ok(u64(l2Offset) !== 0n, 'the first cluster is allocated');
  const broken = Buffer.alloc(8);
  broken.writeBigUInt64BE((1n << 40n) | (1n << 63n));
  writeSync(fd, broken, 0, 8, l2Offset);
  closeSync(fd);
  const report = await checkImage(bad);
  assert.is(report.supported, true);
  assert.is(report.ok, false);
  assert.ok(report.corruptions > 0, JSON.stringify(report));
});

test("zstd is detected (Debian 12's QEMU 7.2 has it) and a compressed export with compression auto uses it", async () => {
  assert.is(await qemuImgSupportsZstd(), true);
  const source = join(dir, 'z-src.qcow2');
  await createDisk(source, 1 << 20, 'qcow2');
  const destination = join(dir, 'z.qcow2');
  await convertImage({ source, sourceFormat: 'qcow2', destination, format: 'qcow2', compress: true, compressionType: 'auto' });
  const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', destination])).stdout) as { 'format-specific': { data: { 'compression-type': string } } };
  assert.is(info['format-specific'].data['compression-type'], 'zstd');
});

test('imageInfo detects the format of a file it is not told about', async () => {
  const path = join(dir, 'text.img');
  writeFileSync(path, 'hello');
  assert.is((await imageInfo(path)).format, 'raw');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
