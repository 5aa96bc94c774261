import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { convertImage } from '../../lib/export/convert.js';
import type { ExportFormat, VmdkSubformat } from '../../lib/export/convert-args.js';
import { checkImage, createDisk, imageInfo } from '../../lib/hypervisor/qemu/qemu-img.js';
import { kilnRejection } from '../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-convert-'));
const SIZE = 8 << 20;
const source = join(dir, 'source.qcow2');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// The guest's view of the source disk: two patterned runs, zeros elsewhere.
const expected = Buffer.alloc(SIZE);
expected.fill(0xab, 0, 1 << 20);
expected.fill(0x11, 4 << 20, (4 << 20) + (512 << 10));


const leftovers = (destination: string) => [destination, `${destination}.partial`].filter((f) => existsSync(f));

test.before(async () => {
  await createDisk(source, SIZE, 'qcow2');
  await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 1M', '-c', 'write -P 0x11 4M 512k', source]);
});

test('qcow2 -> raw has exactly the guest\'s bytes, sparse, with progress to 100%', async () => {
  const raw = join(dir, 'out.raw');
  const seen: number[] = [];
  await convertImage({ source, sourceFormat: 'qcow2', destination: raw, format: 'raw', compress: false, onProgress: (p) => seen.push(p) });
  assert.is(sha256(readFileSync(raw)), sha256(expected));
  assert.ok(statSync(raw).blocks * 512 <= 2 << 20, `zeros are holes: ${statSync(raw).blocks * 512} bytes allocated`);
  assert.is(seen.at(-1), 100);
  assert.equal([...seen].sort((a, b) => a - b), seen, 'progress only goes up');
  assert.not.ok(existsSync(`${raw}.partial`));
});

test('raw -> compressed qcow2 -> raw round-trips, and compression makes it smaller', async () => {
  const raw = join(dir, 'round.raw');
  writeFileSync(raw, expected);
  const plain = join(dir, 'plain.qcow2');
  const packed = join(dir, 'packed.qcow2');
  await convertImage({ source: raw, sourceFormat: 'raw', destination: plain, format: 'qcow2', compress: false });
  await convertImage({ source: raw, sourceFormat: 'raw', destination: packed, format: 'qcow2', compress: true });
  assert.is((await imageInfo(packed)).format, 'qcow2');
  assert.ok(statSync(packed).size < statSync(plain).size / 2, `${statSync(packed).size} vs ${statSync(plain).size}`);

  const back = join(dir, 'back.raw');
  await convertImage({ source: packed, sourceFormat: 'qcow2', destination: back, format: 'raw', compress: false });
  assert.is(sha256(readFileSync(back)), sha256(expected));
});

test('compression type: auto picks zstd when qemu-img has it; zlib on request', async () => {
  const type = async (compressionType: 'auto' | 'zlib' | 'zstd') => {
    const out = join(dir, `ct-${compressionType}.qcow2`);
    await convertImage({ source, sourceFormat: 'qcow2', destination: out, format: 'qcow2', compress: true, compressionType });
    const info = await execa('qemu-img', ['info', '--output=json', out]);
    return (JSON.parse(info.stdout) as { 'format-specific': { data: { 'compression-type': string } } })['format-specific'].data['compression-type'];
  };
  const zstd = (await execa('qemu-img', ['create', '-f', 'qcow2', '-o', 'compression_type=zstd', join(dir, 'probe.qcow2'), '1M'], { reject: false })).exitCode === 0;
  assert.is(await type('auto'), zstd ? 'zstd' : 'zlib');
  assert.is(await type('zlib'), 'zlib');
});

test('vmdk export reads back as the same disk', async () => {
  const vmdk = join(dir, 'out.vmdk');
  await convertImage({ source, sourceFormat: 'qcow2', destination: vmdk, format: 'vmdk', compress: true });
  assert.is((await imageInfo(vmdk)).format, 'vmdk');
  const back = join(dir, 'vmdk-back.raw');
  await convertImage({ source: vmdk, sourceFormat: 'vmdk', destination: back, format: 'raw', compress: false });
  assert.is(sha256(readFileSync(back)), sha256(expected));
});

// [label, format, options, qemu-img's format name, vmdk create type]
const formats: [string, ExportFormat, { compress?: boolean; vmdkSubformat?: VmdkSubformat }, string, string?][] = [
  ['qcow2', 'qcow2', {}, 'qcow2'],
  ['compressed qcow2', 'qcow2', { compress: true }, 'qcow2'],
  ['raw', 'raw', {}, 'raw'],
  ['vmdk (monolithicSparse)', 'vmdk', {}, 'vmdk', 'monolithicSparse'],
  ['vmdk (streamOptimized)', 'vmdk', { vmdkSubformat: 'streamOptimized' }, 'vmdk', 'streamOptimized'],
  ['vdi', 'vdi', {}, 'vdi'],
  ['vhdx', 'vhdx', {}, 'vhdx'],
];
for (const [label, format, options, infoFormat, createType] of formats) {
  test(`${label}: type, virtual size and the guest's bytes survive; qemu-img check is clean`, async () => {
    const out = join(dir, `each-${label.replace(/\W+/g, '-')}.${format}`);
    await convertImage({ source, sourceFormat: 'qcow2', destination: out, format, compress: false, ...options });
    const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', out])).stdout);
    assert.is(info.format, infoFormat);
    assert.is(info['virtual-size'], SIZE);
    if (createType) assert.is(info['format-specific'].data['create-type'], createType);
    const check = await checkImage(out);
    assert.ok(check.ok, `qemu-img check: ${JSON.stringify(check)}`);
    if (format !== 'raw') assert.ok(check.supported, 'qemu-img can check this format');
    const back = `${out}.back.raw`;
    await convertImage({ source: out, sourceFormat: format, destination: back, format: 'raw', compress: false });
    assert.is(sha256(readFileSync(back)), sha256(expected));
  });
}

test('an abort mid-conversion leaves nothing under either name', async () => {
  const destination = join(dir, 'aborted.qcow2');
  const controller = new AbortController();
  const error = await kilnRejection(
    convertImage({ source, sourceFormat: 'qcow2', destination, format: 'qcow2', compress: true, signal: controller.signal, onProgress: () => controller.abort() }),
  );
  assert.instance(error, CancelledError);
  assert.equal(leftovers(destination), []);
});

test('an already-aborted signal starts nothing', async () => {
  const destination = join(dir, 'never.raw');
  const error = await kilnRejection(convertImage({ source, sourceFormat: 'qcow2', destination, format: 'raw', compress: false, signal: AbortSignal.abort() }));
  assert.instance(error, CancelledError);
  assert.equal(leftovers(destination), []);
});

test('a failure is E_EXPORT with qemu-img\'s words, keeps an older image and removes the partial', async () => {
  const destination = join(dir, 'kept.raw');
  writeFileSync(destination, 'previous build');
  writeFileSync(`${destination}.partial`, 'stale');
  const error = await kilnRejection(
    convertImage({ source: join(dir, 'missing.qcow2'), sourceFormat: 'qcow2', destination, format: 'raw', compress: false }),
  );
  assert.is(error.code, 'E_EXPORT');
  assert.match(error.message, /missing\.qcow2.*No such file or directory/);
  assert.is(readFileSync(destination, 'utf8'), 'previous build');
  assert.not.ok(existsSync(`${destination}.partial`));
});

test('a wrong source format is reported, not guessed around', async () => {
  const destination = join(dir, 'wrongfmt.raw');
  const raw = join(dir, 'plain.raw');
  writeFileSync(raw, Buffer.alloc(1 << 20));
  const error = await kilnRejection(convertImage({ source: raw, sourceFormat: 'qcow2', destination, format: 'raw', compress: false }));
  assert.is(error.code, 'E_EXPORT');
  assert.match(error.message, /qcow2/);
  assert.equal(leftovers(destination), []);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
