import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertArgs, ProgressParser, roundUp, vhdCreateArgs, type ConvertArgsInput } from '../../lib/export/convert-args.js';

const base: ConvertArgsInput = { source: '/w/d.qcow2', sourceFormat: 'qcow2', destination: '/o/d.out', format: 'qcow2', compress: false };
const TAIL = ['-S', '4k', '-m', '16', '-W', '/w/d.qcow2', '/o/d.out'];

// [name, input overrides, the flags between "-O FMT" and the common tail]
const cases: [string, Partial<ConvertArgsInput>, string[]][] = [
  ['qcow2, uncompressed', {}, []],
  ['qcow2, compressed (zlib default)', { compress: true }, ['-c']],
  ['qcow2, compressed with zstd', { compress: true, compressionType: 'zstd' }, ['-c', '-o', 'compression_type=zstd']],
  ['qcow2, zstd asked but not compressing', { compressionType: 'zstd' }, []],
  ['raw ignores compress', { format: 'raw', compress: true, compressionType: 'zstd' }, []],
  ['vmdk defaults to monolithicSparse', { format: 'vmdk', compress: true }, ['-o', 'subformat=monolithicSparse']],
  ['vmdk streamOptimized (for OVA and boxes)', { format: 'vmdk', vmdkSubformat: 'streamOptimized' }, ['-o', 'subformat=streamOptimized']],
  ['a vmdk subformat is ignored for other formats', { format: 'vdi', vmdkSubformat: 'streamOptimized' }, []],
  ['vdi', { format: 'vdi' }, []],
  ['vhdx', { format: 'vhdx' }, []],
  ['vpc into the fixed VHD created beforehand: no -o, zeros skipped', { format: 'vpc', intoExisting: true }, ['-n', '--target-is-zero']],
  ['vmdk streamOptimized for vmdk-stream', { format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: true }, ['-o', 'subformat=streamOptimized']],
];
for (const [name, overrides, middle] of cases) {
  test(`convertArgs: ${name}`, () => {
    const input = { ...base, ...overrides };
    assert.equal(convertArgs(input), ['convert', '-p', '-f', input.sourceFormat, '-O', input.format, ...middle, ...TAIL]);
  });
}

test('vhdCreateArgs: a fixed VHD of the exact size (force_size, not CHS geometry)', () => {
  assert.equal(vhdCreateArgs('/o/d.vhd', 11 << 20), ['create', '-q', '-f', 'vpc', '-o', 'subformat=fixed,force_size=on', '/o/d.vhd', String(11 << 20)]);
});

// [bytes, unit, rounded]
const rounding: [number, number, number][] = [
  [0, 1 << 20, 0],
  [1, 1 << 20, 1 << 20],
  [10 << 20, 1 << 20, 10 << 20],
  [(10 << 20) + 512, 1 << 20, 11 << 20],
  [20 * 1024 ** 3 - 1, 1024 ** 3, 20 * 1024 ** 3],
];
for (const [bytes, unit, want] of rounding) {
  test(`roundUp(${bytes}, ${unit}) = ${want}`, () => assert.is(roundUp(bytes, unit), want));
}

test('convertArgs: the source format is always explicit', () => {
  const args = convertArgs({ ...base, sourceFormat: 'raw' });
  assert.equal(args.slice(2, 4), ['-f', 'raw']);
});

// [name, chunks, percentages reported after each chunk]
const progress: [string, string[], number[][]][] = [
  ['one update per chunk', ['    (0.00/100%)\r', '    (50.00/100%)\r', '    (100.00/100%)\r\n'], [[0], [50], [100]]],
  ['several in one chunk', ['    (0.00/100%)\r    (1.01/100%)\r    (2.02/100%)\r'], [[0, 1.01, 2.02]]],
  ['split inside a number', ['    (12.3', '4/100%)\r'], [[], [12.34]]],
  ['split before the paren', ['    ', '(7.00/100%)\r'], [[], [7]]],
  ['repeats are dropped', ['    (100.00/100%)\r', '    (100.00/100%)\r\n'], [[100], []]],
  ['noise is ignored', ['qemu-img: warning\n', '    (3.00/100%)\r'], [[], [3]]],
];
for (const [name, chunks, want] of progress) {
  test(`ProgressParser: ${name}`, () => {
    const parser = new ProgressParser();
    assert.equal(chunks.map((c) => parser.push(c)), want);
  });
}

test.run();
