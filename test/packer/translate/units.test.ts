// Packer's durations, sizes and checksums in kiln's spelling.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kilnChecksum } from '../../../lib/packer/translate/source-file.js';
import { kilnDiskSize, kilnDuration, qemuMemoryMiB, qemuSmpCount } from '../../../lib/packer/translate/units.js';

test('durations: kept when kiln reads them, Go-only units in milliseconds, negatives as 0s', () => {
  const cases: [string, ReturnType<typeof kilnDuration>][] = [
    ['5m', { ok: true, text: '5m', negative: false }],
    ['1h2m3s', { ok: true, text: '1h2m3s', negative: false }],
    ['1.5h', { ok: true, text: '1.5h', negative: false }],
    ['300ms', { ok: true, text: '300ms', negative: false }],
    ['+10s', { ok: true, text: '10s', negative: false }],
    ['0', { ok: true, text: '0s', negative: false }],
    ['1500us', { ok: true, text: '2ms', negative: false }],
    ['1s500us', { ok: true, text: '1001ms', negative: false }],
    ['2000000ns', { ok: true, text: '2ms', negative: false }],
    ['-1s', { ok: true, text: '0s', negative: true }],
    ['10', { ok: false }],
    ['5 minutes', { ok: false }],
    ['', { ok: false }],
  ];
  for (const [written, expected] of cases) assert.equal(kilnDuration(written), expected, written);
});

test('disk sizes: a number is MB, a unit letter kept, nonsense refused', () => {
  const cases: [string | number, string | number | undefined][] = [
    [40960, 40960],
    ['40960', 40960],
    ['40G', '40G'],
    ['40960M', '40960M'],
    ['1T', '1T'],
    [0, undefined],
    [1.5, undefined],
    ['forty', undefined],
    ['0G', undefined],
  ];
  for (const [written, expected] of cases) assert.is(kilnDiskSize(written), expected, String(written));
});

test('qemuargs -m and -smp: a plain count, anything else left to QEMU', () => {
  const memory: [string, number | undefined][] = [['2048', 2048], ['2048M', 2048], ['2G', 2048], ['size=4G', 4096], ['480m', 480], ['2G,slots=2,maxmem=8G', undefined], ['1000K', undefined]];
  for (const [value, mib] of memory) assert.is(qemuMemoryMiB(value), mib, value);
  const smp: [string, number | undefined][] = [['4', 4], ['cpus=2', 2], ['4,sockets=2,cores=2', undefined]];
  for (const [value, count] of smp) assert.is(qemuSmpCount(value), count, value);
});

test('iso_checksum: every form Packer takes', () => {
  const md5 = 'a'.repeat(32);
  const cases: [string, ReturnType<typeof kilnChecksum>][] = [
    [`sha256:${'AB'.repeat(32)}`, { checksum: `sha256:${'ab'.repeat(32)}` }],
    [`SHA512:${'c'.repeat(128)}`, { checksum: `sha512:${'c'.repeat(128)}` }],
    [md5, { checksum: `md5:${md5}` }],
    ['b'.repeat(40), { checksum: `sha1:${'b'.repeat(40)}` }],
    ['D'.repeat(64), { checksum: `sha256:${'d'.repeat(64)}` }],
    ['file:https://example.org/SHA256SUMS', { checksum: 'file:https://example.org/SHA256SUMS' }],
    ['file:./SHA256SUMS', { checksum: 'file:./SHA256SUMS' }],
    ['none', { checksum: 'none' }],
    ['None', { checksum: 'none' }],
    ['crc32:abcd', { error: 'checksum type "crc32" is not one kiln checks: use md5, sha1, sha256, sha512, file or none' }],
    ['abc', { error: '"abc" is not a checksum: write sha256:<hex>, a bare hex digest, file:<url> or none' }],
  ];
  for (const [written, expected] of cases) assert.equal(kilnChecksum(written), expected, written);
});

test.run();
