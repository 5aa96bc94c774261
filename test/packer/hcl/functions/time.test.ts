import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, contextWith, errorCases, resultCases } from './call.js';

const T = '2024-03-05T07:08:09Z';

resultCases(test, [
  ['timestamp', [], '2024-03-05T07:08:09Z'],
  ['formatdate', ['DD MMM YYYY hh:mm ZZZ', '2018-01-02T23:12:01Z'], '02 Jan 2018 23:12 UTC'],
  ['formatdate', ['EEEE, DD-MMM-YY hh:mm:ss ZZZ', '2018-01-02T23:12:01Z'], 'Tuesday, 02-Jan-18 23:12:01 UTC'],
  ['formatdate', ['EEE, DD MMM YYYY hh:mm:ss ZZZ', '2018-01-02T23:12:01-08:00'], 'Tue, 02 Jan 2018 23:12:01 -0800'],
  ['formatdate', ['MMM DD, YYYY', '2018-01-02T23:12:01Z'], 'Jan 02, 2018'],
  ['formatdate', ['HH:mmaa', '2018-01-02T23:12:01Z'], '11:12pm'],
  ['formatdate', ['H AA', '2018-01-02T00:05:01Z'], '12 AM'],
  ['formatdate', ['M/D h:m:s', '2018-01-02T03:04:05Z'], '1/2 3:4:5'],
  ['formatdate', ['MMMM', T], 'March'],
  ['formatdate', ['Z ZZZZ ZZZZZ', '2024-03-05T07:08:09+05:30'], '+05:30 +0530 +05:30'],
  ['formatdate', ['Z ZZZ ZZZZ ZZZZZ', T], 'Z UTC +0000 +00:00'],
  ['formatdate', ["YYYYMMDD'T'hhmmss'Z'", T], '20240305T070809Z'],
  ["formatdate", ["h 'o''clock'", T], "7 o'clock"],
  ['formatdate', ["''YY''", T], "'24'"],
  ['formatdate', ['YYYY-MM-DD', '2024-02-29T23:59:59.999999999Z'], '2024-02-29'],
  ['timeadd', ['2017-11-22T00:00:00Z', '10m'], '2017-11-22T00:10:00Z'],
  ['timeadd', ['2017-11-22T00:00:00Z', '-1h30m'], '2017-11-21T22:30:00Z'],
  ['timeadd', ['2017-11-22T23:30:00+05:30', '1.5h'], '2017-11-23T01:00:00+05:30'],
  ['timeadd', ['2017-11-22T00:00:00.9Z', '100ms'], '2017-11-22T00:00:01Z'],
  ['timeadd', ['2017-11-22T00:00:00Z', '0'], '2017-11-22T00:00:00Z'],
  ['timeadd', ['2017-11-22T00:00:00Z', '1h1m1s1ms1us1ns'], '2017-11-22T01:01:01Z'],
  ['timeadd', ['2024-12-31T23:00:00Z', '720h'], '2025-01-30T23:00:00Z'],
  ['timeadd', ['2000-01-01T00:00:00Z', '2562047h'], '2292-04-10T23:00:00Z'],
  ['legacy_isotime', [], '2024-03-05T07:08:09Z'],
  ['legacy_isotime', ['2006-01-02'], '2024-03-05'],
  ['legacy_isotime', ['20060102150405'], '20240305070809'],
  ['legacy_isotime', ['Jan _2 3:04PM'], 'Mar  5 7:08AM'],
  ['legacy_isotime', ['Monday January 2 2006 MST'], 'Tuesday March 5 2024 UTC'],
  ['legacy_isotime', ['Mon Jan 06 002'], 'Tue Mar 24 065'],
  ['legacy_isotime', ['15:04:05.000 15:04:05.999999 05,00'], '07:08:09.123 07:08:09.123 09,12'],
  ['legacy_isotime', ['2006-01-02T15:04:05Z07:00 -0700 -07:00'], '2024-03-05T07:08:09Z +0000 +00:00'],
  ['legacy_isotime', ['packer-{{2006}}'], 'packer-{{2024}}'],
]);

errorCases(test, [
  ['timestamp', ['x'], 'timestamp: expects no arguments, got 1'],
  ['formatdate', ['YYY', T], 'formatdate: invalid date format verb "YYY"; put literal letters in single quotes'],
  ['formatdate', ['Q', T], 'formatdate: invalid date format verb "Q"; put literal letters in single quotes'],
  ['formatdate', ["'open", T], "formatdate: the format has an unterminated literal starting with ' (write '' for a quote)"],
  ['formatdate', ['YYYY', '2024-03-05'], 'formatdate: "2024-03-05" is not a valid RFC 3339 timestamp (expected the form 2006-01-02T15:04:05Z or 2006-01-02T15:04:05+07:00)'],
  ['formatdate', ['YYYY', '2024-02-30T00:00:00Z'], 'formatdate: "2024-02-30T00:00:00Z" is not a valid RFC 3339 timestamp (day 30 is out of range for the month)'],
  ['formatdate', ['YYYY', '2023-02-29T00:00:00Z'], 'formatdate: "2023-02-29T00:00:00Z" is not a valid RFC 3339 timestamp (day 29 is out of range for the month)'],
  ['formatdate', ['YYYY', '2024-03-05T24:00:00Z'], 'formatdate: "2024-03-05T24:00:00Z" is not a valid RFC 3339 timestamp (hour 24 is out of range)'],
  ['timeadd', [T, '1d'], 'timeadd: "1d" is not a valid duration (like "1h30m", "-10m", "1.5s"; units h, m, s, ms, us, ns)'],
  ['timeadd', [T, ''], 'timeadd: "" is not a valid duration (like "1h30m", "-10m", "1.5s"; units h, m, s, ms, us, ns)'],
  ['timeadd', [T, '10'], 'timeadd: "10" is not a valid duration (like "1h30m", "-10m", "1.5s"; units h, m, s, ms, us, ns)'],
  ['timeadd', [T, '.h'], 'timeadd: ".h" is not a valid duration (like "1h30m", "-10m", "1.5s"; units h, m, s, ms, us, ns)'],
  ['timeadd', [T, '2562048h'], 'timeadd: "2562048h" is longer than the longest duration (2562047h47m16.854775807s)'],
  ['timeadd', ['now', '1h'], 'timeadd: "now" is not a valid RFC 3339 timestamp (expected the form 2006-01-02T15:04:05Z or 2006-01-02T15:04:05+07:00)'],
  ['legacy_isotime', ['a', 'b'], 'legacy_isotime: expects at most 1 argument, got 2'],
]);

test('timestamp and legacy_isotime read context.now at each call', () => {
  const context = contextWith({ now: () => new Date('1999-12-31T23:59:59.500Z') });
  assert.is(call('timestamp', [], context), '1999-12-31T23:59:59Z');
  assert.is(call('legacy_isotime', ['2006'], context), '1999');
});

test.run();
