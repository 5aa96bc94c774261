// source.disk into the build's disk: qemu-img command lines by table, then the real
// thing on small images (copy + convert + grow, overlay, refusals, nothing left behind).
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { containerOf, copyArgs, overlayArgs, planDiskPrep, prepareDiskImage, resizeArgs, type DiskPrepInput } from '../../lib/source/disk-image.js';
import { imageInfo } from '../../lib/hypervisor/qemu/qemu-img.js';
import { kilnRejection, kilnThrown, rejection } from '../helpers/rejection.js';

const exec = promisify(execFile);
const G = 1024 ** 3;
const qcow = { path: '/cache/debian.qcow2', format: 'qcow2', virtualSize: 2 * G };

test('argv builders', () => {
  assert.equal(overlayArgs('/cache/debian.qcow2', 'qcow2', '/work/d.qcow2', 20 * G), ['create', '-q', '-f', 'qcow2', '-b', '/cache/debian.qcow2', '-F', 'qcow2', '/work/d.qcow2', String(20 * G)]);
  assert.equal(overlayArgs('rel/base.img', 'raw', 'o.qcow2', 1)[5], join(process.cwd(), 'rel/base.img'), 'the backing path is stored absolute');
  assert.equal(copyArgs('/s.raw', 'raw', '/d.qcow2', 'qcow2'), ['convert', '-q', '-f', 'raw', '-O', 'qcow2', '-S', '4k', '-m', '16', '-W', '/s.raw', '/d.qcow2']);
  assert.equal(resizeArgs('/d.qcow2', 'qcow2', 20 * G), ['resize', '-q', '-f', 'qcow2', '/d.qcow2', String(20 * G)]);
});

test('plans', () => {
  const cases: [string, DiskPrepInput, string[][]][] = [
    ['copy qcow2 and grow', { source: qcow, target: '/w/d.qcow2', backing: false, sizeBytes: 20 * G }, [copyArgs(qcow.path, 'qcow2', '/w/d.qcow2', 'qcow2'), resizeArgs('/w/d.qcow2', 'qcow2', 20 * G)]],
    ['copy at the same size: no resize', { source: qcow, target: '/w/d.qcow2', backing: false, sizeBytes: 2 * G }, [copyArgs(qcow.path, 'qcow2', '/w/d.qcow2', 'qcow2')]],
    ['raw to qcow2', { source: { ...qcow, path: '/c/d.raw', format: 'raw' }, target: '/w/d.qcow2', backing: false, sizeBytes: 4 * G }, [copyArgs('/c/d.raw', 'raw', '/w/d.qcow2', 'qcow2'), resizeArgs('/w/d.qcow2', 'qcow2', 4 * G)]],
    ['vmdk copied', { source: { ...qcow, path: '/c/d.vmdk', format: 'vmdk' }, target: '/w/d.qcow2', backing: false, sizeBytes: 2 * G }, [copyArgs('/c/d.vmdk', 'vmdk', '/w/d.qcow2', 'qcow2')]],
    ['overlay: created at the final size', { source: qcow, target: '/w/d.qcow2', backing: true, sizeBytes: 20 * G }, [overlayArgs(qcow.path, 'qcow2', '/w/d.qcow2', 20 * G)]],
    ['overlay on raw', { source: { ...qcow, format: 'raw' }, target: '/w/d.qcow2', backing: true, sizeBytes: 2 * G }, [overlayArgs(qcow.path, 'raw', '/w/d.qcow2', 2 * G)]],
  ];
  for (const [name, input, commands] of cases) assert.equal(planDiskPrep(input).commands, commands, name);
});

test('refusals, before anything runs', () => {
  const cases: [string, DiskPrepInput, RegExp][] = [
    ['shrink', { source: qcow, target: '/w/d', backing: false, sizeBytes: G }, /machine.disk \(1G\) is smaller than the source image \(2G\)/],
    ['iso', { source: { ...qcow, format: 'iso' }, target: '/w/d', backing: false, sizeBytes: 2 * G }, /is a iso image, which kiln does not boot/],
    ['backing file', { source: { ...qcow, backingFile: '/etc/shadow' }, target: '/w/d', backing: false, sizeBytes: 2 * G }, /itself an overlay on \/etc\/shadow/],
    ['overlay on vmdk', { source: { ...qcow, format: 'vmdk' }, target: '/w/d', backing: true, sizeBytes: 2 * G }, /backing: true needs a qcow2 or raw/],
  ];
  for (const [name, input, message] of cases) {
    const error = kilnThrown(() => planDiskPrep(input), name);
    assert.is(error.code, 'E_SOURCE', name);
    assert.match(error.message, message, name);
    assert.ok(error.hint, `${name} has a hint`);
  }
});

test('compressed and archived files are recognised', () => {
  const tar = Buffer.alloc(512);
  tar.write('ustar', 257, 'latin1');
  const cases: [string, Buffer, string | undefined][] = [
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1]), 'xz'],
    ['gzip', Buffer.from([0x1f, 0x8b, 8]), 'gzip'],
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]), 'zstd'],
    ['bzip2', Buffer.from('BZh91AY'), 'bzip2'],
    ['tar', tar, 'tar'],
    ['qcow2', Buffer.from('QFI\xfb\0\0\0\x03', 'latin1'), undefined],
    ['zeros (raw)', Buffer.alloc(512), undefined],
    ['empty', Buffer.alloc(0), undefined],
  ];
  for (const [name, head, expected] of cases) assert.is(containerOf(head), expected, name);
});

let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-disk-image-test-'));
  // A 4 MiB raw "cloud image" with a marker, and a qcow2 copy of it.
  const raw = Buffer.alloc(4 << 20);
  raw.write('kiln disk marker', 1 << 20, 'latin1');
  await writeFile(join(dir, 'src.raw'), raw);
  await exec('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', join(dir, 'src.raw'), join(dir, 'src.qcow2')]);
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function marker(image: string, format: string): Promise<string> {
  const out = join(dir, `read-${Math.random().toString(16).slice(2)}.raw`);
  await exec('qemu-img', ['convert', '-f', format, '-O', 'raw', image, out]);
  const data = await readFile(out);
  await rm(out);
  return data.subarray(1 << 20, (1 << 20) + 16).toString('latin1');
}

test('copy raw -> qcow2 and grow to machine.disk', async () => {
  const target = join(dir, 'copy.qcow2');
  assert.equal(await prepareDiskImage({ source: join(dir, 'src.raw'), target, backing: false, sizeBytes: 16 << 20 }), {}, 'no base: a standalone copy');
  const info = await imageInfo(target);
  assert.equal([info.format, info.virtualSize, info.backingFile], ['qcow2', 16 << 20, undefined]);
  assert.is(await marker(target, 'qcow2'), 'kiln disk marker');
});

test('overlay on a qcow2: on a hard link to the source, which stays untouched; the overlay has the final size', async () => {
  const target = join(dir, 'overlay.qcow2');
  const { base } = await prepareDiskImage({ source: join(dir, 'src.qcow2'), target, backing: true, sizeBytes: 8 << 20 });
  const info = await imageInfo(target);
  assert.equal([info.format, info.virtualSize, info.backingFile, base], ['qcow2', 8 << 20, `${target}.base`, `${target}.base`]);
  // The same file, not a copy: a new file renamed over the source's path leaves it as it was.
  assert.is((await stat(`${target}.base`)).ino, (await stat(join(dir, 'src.qcow2'))).ino);
  assert.is(await marker(target, 'qcow2'), 'kiln disk marker');
  assert.is((await imageInfo(join(dir, 'src.qcow2'))).virtualSize, 4 << 20);
});

test('refused sources: a gzip file, a shrink, a missing file; no target is left', async () => {
  await writeFile(join(dir, 'image.qcow2.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
  const attempts: [string, number, RegExp][] = [
    ['image.qcow2.gz', 16 << 20, /is a gzip file, not a disk image/],
    ['src.raw', 1 << 20, /smaller than the source image/],
    ['missing.qcow2', 16 << 20, /cannot read source.disk/],
  ];
  for (const [name, size, message] of attempts) {
    const error = await rejection(prepareDiskImage({ source: join(dir, name), target: join(dir, 'refused.qcow2'), backing: false, sizeBytes: size }), name);
    assert.match(error.message, message, name);
  }
  assert.not.ok((await readdir(dir)).includes('refused.qcow2'));
});

test('a failing qemu-img step removes the half-made target', async () => {
  // qemu-img that copies but cannot resize: the copy made the target, the resize fails.
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const real = (await exec('sh', ['-c', 'command -v qemu-img'])).stdout.trim();
  await writeFile(join(bin, 'qemu-img'), `#!/bin/sh\nif [ "$1" = resize ]; then echo "qemu-img: resize: no space left" >&2; exit 1; fi\nexec ${real} "$@"\n`);
  await chmod(join(bin, 'qemu-img'), 0o755);
  const saved = process.env['PATH'];
  process.env['PATH'] = `${bin}${delimiter}${saved}`;
  try {
    const target = join(dir, 'half.qcow2');
    const error = await kilnRejection(prepareDiskImage({ source: join(dir, 'src.raw'), target, backing: false, sizeBytes: 16 << 20 }));
    assert.is(error.code, 'E_TOOL');
    assert.match(error.message, /preparing the disk from .*src\.raw failed: resize: no space left/);
    assert.not.ok((await readdir(dir)).includes('half.qcow2'));
  } finally {
    process.env['PATH'] = saved;
  }
});

test('sizes are rounded up to whole sectors', () => {
  assert.equal(planDiskPrep({ source: qcow, target: '/w/d', backing: true, sizeBytes: 2 * G + 1 }).commands, [overlayArgs(qcow.path, 'qcow2', '/w/d', 2 * G + 512)]);
  assert.equal(planDiskPrep({ source: qcow, target: '/w/d', backing: false, sizeBytes: 2 * G + 1 }).commands[1], resizeArgs('/w/d', 'qcow2', 2 * G + 512));
});

test.run();
