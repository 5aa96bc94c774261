import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatSize, GIB, KIB, MIB, parseSize, TIB } from '../../lib/util/size.js';

const cases: [string | number, number, number | undefined][] = [
  ['20G', MIB, 20 * GIB],
  ['512M', MIB, 512 * MIB],
  ['2048', MIB, 2048 * MIB],
  [2048, MIB, 2048 * MIB],
  ['2048', 1, 2048],
  ['1.5G', MIB, 1.5 * GIB],
  ['1GiB', MIB, GIB],
  ['1gb', MIB, GIB],
  ['4k', MIB, 4 * KIB],
  ['64KiB', MIB, 64 * KIB],
  ['2T', MIB, 2 * TIB],
  ['512B', MIB, 512],
  [' 20G ', MIB, 20 * GIB],
  ['20 G', MIB, 20 * GIB],
  ['0', MIB, 0],
  ['', MIB, undefined],
  ['G', MIB, undefined],
  ['20X', MIB, undefined],
  ['20iB', MIB, undefined],
  ['-1G', MIB, undefined],
  ['1e3', MIB, undefined],
  ['20GG', MIB, undefined],
  [-5, MIB, undefined],
  [Number.NaN, MIB, undefined],
];
for (const [input, bare, want] of cases) {
  test(`parseSize(${JSON.stringify(input)}, ${bare})`, () => assert.is(parseSize(input, bare), want));
}

test('parseSize counts a bare number in MiB by default', () => {
  assert.is(parseSize('1024'), GIB);
});

test('formatSize', () => {
  assert.is(formatSize(20 * GIB), '20G');
  assert.is(formatSize(512 * MIB), '512M');
  assert.is(formatSize(1.5 * GIB), '1.5G');
  assert.is(formatSize(3 * KIB), '3K');
  assert.is(formatSize(100), '100B');
  assert.is(formatSize(2 * TIB), '2T');
});

test.run();
