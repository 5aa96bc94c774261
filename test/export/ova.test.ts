// An OVA from a real (small) image: untarred, its order, manifest, OVF fields and disk checked.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { convertImage } from '../../lib/export/convert.js';
import { writeOva, type OvaInput } from '../../lib/export/ova.js';
import { checkImage } from '../../lib/hypervisor/qemu/qemu-img.js';
import { expectedBytes, guestSha256, sampleImages, sha256, SIZE, tarMembers, untar } from './images.js';
import { child, parseXml } from './xml.js';
import { rejection } from '../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-ova-'));
let vmdk = '';

const input = (overrides: Partial<OvaInput> = {}): OvaInput => ({
  destination: join(dir, 'demo.ova'),
  name: 'demo',
  disk: vmdk,
  capacityBytes: SIZE,
  machine: { cpus: 2, memoryMiB: 512, osType: 'Debian_64' },
  mtime: 1_700_000_000,
  ...overrides,
});

test.before(async () => {
  ({ vmdk } = await sampleImages(dir));
});

test('descriptor first, disk, manifest last; the .mf hashes match; the disk is the guest\'s disk', async () => {
  const seen: number[] = [];
  const result = await writeOva(input({ onProgress: (p) => seen.push(p) }));
  const ova = join(dir, 'demo.ova');
  assert.equal(await tarMembers(ova), ['demo.ovf', 'demo-disk001.vmdk', 'demo.mf']);
  assert.equal(result.members, await tarMembers(ova), 'what writeOva reports is what it wrote');
  assert.is(result.bytes, statSync(ova).size);
  assert.is(result.sha256, sha256(readFileSync(ova)));
  assert.is(seen.at(-1), 100);
  // ustar, which OVF requires: the magic of the first header.
  assert.is(readFileSync(ova).subarray(257, 265).toString('latin1'), 'ustar\x0000');

  const out = join(dir, 'unpacked');
  mkdirSync(out);
  await untar(ova, out);
  const mf = readFileSync(join(out, 'demo.mf'), 'utf8');
  assert.is(
    mf,
    `SHA256(demo.ovf)= ${sha256(readFileSync(join(out, 'demo.ovf')))}\nSHA256(demo-disk001.vmdk)= ${sha256(readFileSync(join(out, 'demo-disk001.vmdk')))}\n`,
  );
  // What sha256sum says, too (the .mf syntax is openssl's; the values are the same).
  const { stdout } = await execa('sha256sum', ['demo-disk001.vmdk'], { cwd: out });
  assert.ok(mf.includes(stdout.split(' ')[0]!));

  const env = parseXml(readFileSync(join(out, 'demo.ovf'), 'utf8'));
  const file = child(child(env, 'References'), 'File');
  assert.is(file.attributes['ovf:href'], 'demo-disk001.vmdk');
  assert.is(Number(file.attributes['ovf:size']), statSync(join(out, 'demo-disk001.vmdk')).size);
  assert.is(Number(child(child(env, 'DiskSection'), 'Disk').attributes['ovf:capacity']), SIZE);
  assert.is(child(env, 'VirtualSystem').attributes['ovf:id'], 'demo');

  const disk = join(out, 'demo-disk001.vmdk');
  const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', disk])).stdout);
  assert.is(info.format, 'vmdk');
  assert.is(info['format-specific'].data['create-type'], 'streamOptimized');
  assert.ok((await checkImage(disk)).ok);
  assert.is(await guestSha256(disk, 'vmdk'), sha256(expectedBytes()));
});

test('Ctrl-C while packing leaves neither the OVA nor a partial file', async () => {
  // Random bytes do not compress: a disk of several 1 MiB read chunks.
  const raw = join(dir, 'random.raw');
  writeFileSync(raw, randomBytes(8 << 20));
  const big = join(dir, 'random.vmdk');
  await convertImage({ source: raw, sourceFormat: 'raw', destination: big, format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: false });
  const controller = new AbortController();
  const destination = join(dir, 'aborted.ova');
  assert.instance(await rejection(writeOva(input({ destination, disk: big, signal: controller.signal, onProgress: (p) => p > 0 && controller.abort() }))), CancelledError);
  assert.not.ok(existsSync(destination));
  assert.not.ok(existsSync(`${destination}.partial`));
});

test('a missing disk fails before anything is written', async () => {
  const destination = join(dir, 'missing.ova');
  assert.match((await rejection(writeOva(input({ destination, disk: join(dir, 'nope.vmdk') })))).message, /nope\.vmdk/);
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('missing')), []);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
