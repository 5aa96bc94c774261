// The built-in ISO 9660 writer: byte-level checks of the volume descriptors, path
// tables and directory records, then the tools users have (isoinfo, xorriso, blkid)
// must read the volume and its files back.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildIso9660, checkIsoFiles, directorySectors, primaryName } from '../../lib/cloud-init/iso9660.js';
import { bothEndian16, bothEndian32, descriptorDate, directoryRecord, padText, recordDate } from '../../lib/cloud-init/iso9660-records.js';

const exec = promisify(execFile);
const S = 2048;
const DATE = new Date(Date.UTC(2024, 4, 17, 13, 45, 6, 780));
const files = [
  { name: 'user-data', data: Buffer.from('#cloud-config\nusers: []\n') },
  { name: 'meta-data', data: Buffer.from('instance-id: kiln-test\n') },
  { name: 'network-config', data: Buffer.alloc(0) },
];
const iso = buildIso9660(files, { volumeId: 'CIDATA', date: DATE });
const sector = (n: number) => iso.subarray(n * S, (n + 1) * S);
const le32 = (b: Buffer, o: number) => b.readUInt32LE(o);
const both32 = (b: Buffer, o: number) => {
  assert.is(b.readUInt32LE(o), b.readUInt32BE(o + 4), `both-endian value at ${o}`);
  return b.readUInt32LE(o);
};

interface Record9660 {
  length: number;
  extent: number;
  size: number;
  flags: number;
  name: Buffer;
}
function records(dirSector: number, sectors = 1): Record9660[] {
  const out: Record9660[] = [];
  for (let s = dirSector; s < dirSector + sectors; s++) {
    const b = sector(s);
    for (let o = 0; o < S && b[o] !== 0; o += b[o]!) {
      const len = b[o]!;
      assert.ok(o + len <= S, 'a record never crosses a sector boundary');
      assert.is(len % 2, 0, 'records have even lengths');
      out.push({ length: len, extent: both32(b, o + 2), size: both32(b, o + 10), flags: b[o + 25]!, name: b.subarray(o + 33, o + 33 + b[o + 32]!) });
    }
  }
  return out;
}

test('the number encodings', () => {
  assert.equal([...bothEndian32(0x01020304)], [4, 3, 2, 1, 1, 2, 3, 4]);
  assert.equal([...bothEndian16(2048)], [0, 8, 8, 0]);
  assert.equal(padText('CIDATA', 8, false).toString('latin1'), 'CIDATA  ');
  assert.equal([...padText('CI', 7, true)], [0, 0x43, 0, 0x49, 0, 0x20, 0]);
  assert.equal([...recordDate(DATE)], [124, 5, 17, 13, 45, 6, 0]);
  assert.equal(descriptorDate(DATE).toString('latin1'), '2024051713450678\0');
  assert.equal(descriptorDate(undefined).toString('latin1'), '0000000000000000\0');
});

test('directory records: 33 bytes + name, padded to an even length', () => {
  const cases: [string, number][] = [
    ['\0', 34],
    ['A', 34],
    ['AB', 36],
    ['USER-DATA.;1', 46],
    ['META-DATA.;1', 46],
    ['X.;1', 38],
  ];
  for (const [name, length] of cases) {
    const r = directoryRecord({ extent: 23, size: 5, date: DATE, directory: false, identifier: Buffer.from(name, 'latin1') });
    assert.is(r.length, length, name);
    assert.is(r[0], length);
    assert.is(both32(r, 2), 23);
    assert.is(both32(r, 10), 5);
    assert.equal([...r.subarray(18, 25)], [124, 5, 17, 13, 45, 6, 0]);
    assert.is(r[25], 0);
    assert.equal([...r.subarray(28, 32)], [1, 0, 0, 1], 'volume sequence number 1');
    assert.is(r[32], name.length);
    assert.is(r.subarray(33, 33 + name.length).toString('latin1'), name);
  }
  assert.is(directoryRecord({ extent: 1, size: S, date: DATE, directory: true, identifier: Buffer.from([0]) })[25], 2, 'directory flag');
});

test('primary names: upper case with ".;1"; bad names are refused', () => {
  assert.is(primaryName('user-data'), 'USER-DATA.;1');
  assert.is(primaryName('seed.cfg'), 'SEED.CFG;1');
  for (const bad of ['a/b', 'sp ace', 'a.b.c', '', 'x'.repeat(31), 'ümlaut']) {
    assert.throws(() => checkIsoFiles([{ name: bad, data: Buffer.alloc(0) }]), /cannot put/, bad);
  }
  assert.throws(() => checkIsoFiles([{ name: 'a', data: Buffer.alloc(0) }, { name: 'A', data: Buffer.alloc(0) }]), /differing only in case/);
  assert.throws(() => buildIso9660([], { volumeId: 'cidata' }), /volume identifier/);
});

test('layout: system area, PVD, Joliet SVD, terminator, path tables, directories, data', () => {
  assert.is(iso.length % S, 0);
  assert.ok(iso.subarray(0, 16 * S).every((b) => b === 0), 'system area is zero');
  const pvd = sector(16);
  assert.is(pvd[0], 1);
  assert.is(pvd.subarray(1, 6).toString('latin1'), 'CD001');
  assert.is(pvd[6], 1);
  assert.is(pvd.subarray(8, 40).toString('latin1'), 'LINUX'.padEnd(32));
  assert.is(pvd.subarray(40, 72).toString('latin1'), 'CIDATA'.padEnd(32));
  assert.is(both32(pvd, 80), iso.length / S, 'volume space size');
  assert.equal([...pvd.subarray(120, 132)], [1, 0, 0, 1, 1, 0, 0, 1, 0, 8, 8, 0], 'set size 1, sequence 1, block size 2048');
  assert.is(both32(pvd, 132), 10, 'path table size');
  const pathL = le32(pvd, 140);
  const pathM = pvd.readUInt32BE(148);
  assert.is(pvd.subarray(813, 829).toString('latin1'), '2024051713450678');
  assert.is(pvd[881], 1, 'file structure version');
  // The root directory record inside the PVD.
  assert.is(pvd[156], 34);
  const rootAt = both32(pvd, 158);
  assert.is(both32(pvd, 166), S);
  assert.is(pvd[156 + 25], 2);
  assert.equal([...pvd.subarray(156 + 32, 156 + 34)], [1, 0]);

  const svd = sector(17);
  assert.is(svd[0], 2);
  assert.is(svd.subarray(1, 6).toString('latin1'), 'CD001');
  assert.is(svd.subarray(88, 91).toString('latin1'), '%/E', 'Joliet UCS-2 level 3');
  assert.is(Buffer.from(svd.subarray(40, 52)).swap16().toString('utf16le'), 'CIDATA');
  assert.equal([...svd.subarray(52, 56)], [0, 0x20, 0, 0x20], 'padded with UCS-2 spaces');
  const jRootAt = both32(svd, 158);

  const end = sector(18);
  assert.equal([...end.subarray(0, 7)], [255, ...Buffer.from('CD001'), 1]);

  for (const [at, bigEndian] of [[pathL, false], [pathM, true]] as const) {
    const t = sector(at);
    assert.is(t[0], 1);
    assert.is(bigEndian ? t.readUInt32BE(2) : t.readUInt32LE(2), rootAt);
    assert.is(bigEndian ? t.readUInt16BE(6) : t.readUInt16LE(6), 1);
  }

  const root = records(rootAt);
  assert.equal(root.map((r) => r.name.toString('latin1')), ['\0', '\x01', 'META-DATA.;1', 'NETWORK-CONFIG.;1', 'USER-DATA.;1']);
  assert.equal(root.slice(0, 2).map((r) => [r.extent, r.size, r.flags]), [[rootAt, S, 2], [rootAt, S, 2]]);
  const joliet = records(jRootAt);
  assert.equal(joliet.slice(2).map((r) => Buffer.from(r.name).swap16().toString('utf16le')), ['meta-data', 'network-config', 'user-data']);
  for (const list of [root, joliet]) {
    for (const r of list.slice(2)) {
      const name = list === root ? r.name.toString('latin1') : Buffer.from(r.name).swap16().toString('utf16le');
      const file = files.find((f) => f.name === name || primaryName(f.name) === name)!;
      assert.is(r.size, file.data.length, name);
      assert.is(r.flags, 0);
      if (r.size > 0) assert.equal(iso.subarray(r.extent * S, r.extent * S + r.size), file.data, `data of ${name}`);
      else assert.is(r.extent, 0, 'an empty file points at sector 0');
    }
  }
  // Both directories point at the same data.
  assert.equal(root.slice(2).map((r) => r.extent), joliet.slice(2).map((r) => r.extent));
});

test('without Joliet: no supplementary descriptor', () => {
  const plain = buildIso9660(files, { volumeId: 'CIDATA', joliet: false, date: DATE });
  assert.is(plain[17 * S], 255, 'the terminator follows the PVD');
});

test('a directory that does not fit one sector continues in the next', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ name: `file-number-${String(i).padStart(3, '0')}`, data: Buffer.from(`content ${i}\n`) }));
  const ids = many.map((f) => Buffer.from(primaryName(f.name), 'latin1'));
  assert.is(directorySectors(ids), 2);
  const big = buildIso9660(many, { volumeId: 'MANY', date: DATE });
  const pvd = big.subarray(16 * S, 17 * S);
  assert.is(pvd.readUInt32LE(166), 2 * S, 'the root directory is two sectors');
});

let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-iso-test-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HINT = 'run fixtures/install-host-deps.sh (isoinfo is in genisoimage, blkid in util-linux)';
async function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(command, args, { maxBuffer: 16 << 20 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${command} is missing: ${HINT}`);
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

test('isoinfo reads the volume, both name spaces and the file contents', async () => {
  const path = join(dir, 'seed.iso');
  await writeFile(path, iso);
  const { stdout: pvd } = await run('isoinfo', ['-d', '-i', path]);
  assert.match(pvd, /Volume id: CIDATA/);
  assert.match(pvd, /Logical block size is: 2048/);
  assert.match(pvd, new RegExp(`Volume size is: ${iso.length / S}\\b`));
  assert.match(pvd, /Joliet with UCS level 3 found/);
  const { stdout: plainNames } = await run('isoinfo', ['-f', '-i', path]);
  assert.equal(plainNames.trim().split('\n').sort(), ['/META-DATA.;1', '/NETWORK-CONFIG.;1', '/USER-DATA.;1']);
  const { stdout: jolietNames } = await run('isoinfo', ['-J', '-f', '-i', path]);
  assert.equal(jolietNames.trim().split('\n').sort(), ['/meta-data', '/network-config', '/user-data']);
  const { stdout: content } = await run('isoinfo', ['-J', '-i', path, '-x', '/user-data']);
  assert.is(content, '#cloud-config\nusers: []\n');
});

test('xorriso finds every file without complaint; blkid sees an iso9660 volume labelled CIDATA', async () => {
  const path = join(dir, 'seed2.iso');
  await writeFile(path, iso);
  const { stdout, stderr } = await run('xorriso', ['-return_with', 'WARNING', '32', '-indev', path, '-find', '/', '-type', 'f']);
  assert.equal(stdout.trim().split('\n').sort(), ["'/meta-data'", "'/network-config'", "'/user-data'"]);
  assert.not.match(stderr, /SORRY|FAILURE|WARNING/);
  const { stdout: blkid } = await run('blkid', ['-p', '-o', 'export', path]);
  assert.match(blkid, /^TYPE=iso9660$/m);
  assert.match(blkid, /^LABEL=CIDATA$/m);
});

test('a two-sector directory lists completely', async () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ name: `file-number-${String(i).padStart(3, '0')}`, data: Buffer.from(`content ${i}\n`) }));
  const path = join(dir, 'many.iso');
  await writeFile(path, buildIso9660(many, { volumeId: 'MANY', date: DATE }));
  const { stdout } = await run('isoinfo', ['-J', '-f', '-i', path]);
  assert.is(stdout.trim().split('\n').length, 60);
  const { stdout: last } = await run('isoinfo', ['-J', '-i', path, '-x', '/file-number-059']);
  assert.is(last, 'content 59\n');
});

test.run();
