// ustar headers checked byte by byte and read back by an independent parser (node-tar).
import { Header } from 'tar';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { padding, tarHeader } from '../../lib/export/tar-header.js';
import { kilnThrown } from '../helpers/rejection.js';

const GIB = 1024 ** 3;
const field = (block: Buffer, offset: number, width: number) => block.subarray(offset, offset + width).toString('latin1');

// [label, size]
const sizes: [string, number][] = [
  ['empty', 0],
  ['one byte', 1],
  ['a block', 512],
  ['just under 8 GiB (largest octal size)', 8 * GIB - 1],
  ['8 GiB (base-256 from here)', 8 * GIB],
  ['a 100 GiB disk', 100 * GIB],
];
for (const [label, size] of sizes) {
  test(`tarHeader: ${label} reads back as ${size} bytes`, () => {
    const block = tarHeader({ name: 'disk.vmdk', size, mtime: 1_700_000_000 });
    assert.is(block.length, 512);
    const parsed = new Header(block);
    assert.ok(parsed.cksumValid, 'checksum');
    assert.is(parsed.size, size);
    assert.is(parsed.path, 'disk.vmdk');
    assert.is(parsed.type, 'File');
    assert.is(parsed.mtime?.getTime(), 1_700_000_000_000);
  });
}

test('tarHeader: ustar fields are where POSIX puts them', () => {
  const block = tarHeader({ name: 'demo.ovf', size: 3907, mtime: 0o14000000000 });
  assert.is(field(block, 0, 9), 'demo.ovf\0');
  assert.is(field(block, 100, 8), '0000644\0');
  assert.is(field(block, 108, 16), '0000000\x000000000\0');
  assert.is(field(block, 124, 12), '00000007503\0');
  assert.is(field(block, 136, 12), '14000000000\0');
  assert.is(field(block, 156, 1), '0');
  assert.is(field(block, 257, 8), 'ustar\x0000');
  // The checksum: the byte sum with the field itself counted as spaces, 6 octal digits, NUL, space.
  const copy = Buffer.from(block);
  copy.fill(0x20, 148, 156);
  const sum = copy.reduce((a, b) => a + b, 0);
  assert.is(field(block, 148, 8), `${sum.toString(8).padStart(6, '0')}\0 `);
  assert.is(block.subarray(345).every((b) => b === 0), true, 'prefix and padding are zero');
});

test('tarHeader: base-256 size is a marker byte and the big-endian value', () => {
  const block = tarHeader({ name: 'big', size: 8 * GIB + 5, mtime: 0 });
  assert.is(block[124], 0x80);
  assert.equal([...block.subarray(125, 136)], [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5]); // 0x2_0000_0005
});

test('tarHeader: a mode other than 0644', () => {
  assert.is(new Header(tarHeader({ name: 'x.sh', size: 1, mtime: 0, mode: 0o755 })).mode, 0o755);
});

test('tarHeader: a directory owned by uid and gid 107, and a member in it', () => {
  const dir = new Header(tarHeader({ name: 'disk/', size: 0, mtime: 0, type: 'directory', owner: 107, mode: 0o555 }));
  assert.equal([dir.path, dir.type, dir.uid, dir.gid, dir.mode], ['disk/', 'Directory', 107, 107, 0o555]);
  const file = new Header(tarHeader({ name: 'disk/disk.qcow2', size: 3, mtime: 0, owner: 107 }));
  assert.equal([file.path, file.type, file.uid], ['disk/disk.qcow2', 'File', 107]);
});

const refused: [string, string, number][] = [
  ['an empty name', '', 1],
  ['a 101-byte name', 'n'.repeat(101), 1],
  ['an absolute name', '/a', 1],
  ['a ".." part', 'a/../b', 1],
  ['an empty part', 'a//b', 1],
  ['a negative size', 'x', -1],
  ['a fractional size', 'x', 1.5],
];
for (const [label, name, size] of refused) {
  test(`tarHeader refuses ${label}`, () => {
    assert.is(kilnThrown(() => tarHeader({ name, size, mtime: 0 })).code, 'E_EXPORT');
  });
}

test('tarHeader: a 100-byte name is the limit, and fits', () => {
  assert.is(new Header(tarHeader({ name: 'n'.repeat(100), size: 0, mtime: 0 })).path, 'n'.repeat(100));
});

const pads: [number, number][] = [
  [0, 0],
  [1, 511],
  [511, 1],
  [512, 0],
  [513, 511],
  [8 * GIB + 1, 511],
];
for (const [size, pad] of pads) {
  test(`padding(${size}) = ${pad}`, () => assert.is(padding(size), pad));
}

test.run();
