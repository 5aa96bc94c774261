import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { durationTooLong, formatDuration, MAX_DURATION_MS, parseDuration } from '../../lib/util/duration.js';

const cases: [string, number | undefined][] = [
  ['10s', 10_000],
  ['1m30s', 90_000],
  ['250ms', 250],
  ['1h', 3_600_000],
  ['1.5s', 1500],
  ['2m0s', 120_000],
  ['0', 0],
  ['10', undefined],
  ['', undefined],
  ['10 s', undefined],
  ['1d', undefined],
  ['s', undefined],
  ['-1s', undefined],
];
for (const [input, want] of cases) {
  test(`parseDuration(${JSON.stringify(input)})`, () => assert.is(parseDuration(input), want));
}

test('formatDuration', () => {
  assert.is(formatDuration(250), '250ms');
  assert.is(formatDuration(1500), '1.5s');
  assert.is(formatDuration(42_000), '42s');
  assert.is(formatDuration(90_000), '1m30s');
  assert.is(formatDuration(120_000), '2m');
});

test.run();

test('durationTooLong: up to 24h is fine, past it is named with the fix', () => {
  assert.is(durationTooLong(MAX_DURATION_MS, '24h'), undefined);
  assert.match(durationTooLong(MAX_DURATION_MS + 1, '"24h0m0.001s"')!, '"24h0m0.001s" is longer than 24h');
  assert.ok(durationTooLong(parseDuration('9'.repeat(400) + 'h')!, 'x'), 'Infinity is too long');
});
