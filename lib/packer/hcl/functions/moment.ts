// A point in time with the UTC offset it was written with, as Go's time.Time keeps it:
// formatdate and timeadd answer in the timestamp's own offset. Nanoseconds are exact
// (BigInt), as Go's durations are.
import { FunctionError } from './function-types.js';

export interface Moment {
  /** Nanoseconds since 1970-01-01T00:00:00Z. */
  epochNanos: bigint;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

/** The calendar and clock fields of a moment, in its own offset. */
export interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  /** 0 is Sunday. */
  weekday: number;
  /** 1 is January 1st. */
  yearDay: number;
}

const NANOS_PER_SECOND = 1_000_000_000n;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

export function momentFromDate(date: Date): Moment {
  return { epochNanos: BigInt(date.getTime()) * 1_000_000n, offsetMinutes: 0 };
}

/** Go's time.Parse(time.RFC3339, text), with a message that names the part that is wrong. */
export function parseRfc3339(name: string, text: string): Moment {
  const match = RFC3339.exec(text);
  const invalid = (why: string): FunctionError =>
    new FunctionError(`${name}: ${JSON.stringify(text)} is not a valid RFC 3339 timestamp (${why})`);
  if (!match) throw invalid('expected the form 2006-01-02T15:04:05Z or 2006-01-02T15:04:05+07:00');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = (match[7] ?? '').padEnd(9, '0');
  if (month < 1 || month > 12) throw invalid(`month ${month} is out of range`);
  const monthDays = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leapAware = month === 2 && !isLeapYear(year) ? 28 : monthDays;
  if (day < 1 || day > leapAware) throw invalid(`day ${day} is out of range for the month`);
  if (hour > 23) throw invalid(`hour ${hour} is out of range`);
  if (minute > 59) throw invalid(`minute ${minute} is out of range`);
  if (second > 59) throw invalid(`second ${second} is out of range`);
  const offsetHours = Number(match[10] ?? 0);
  const offsetMins = Number(match[11] ?? 0);
  if (offsetHours > 23 || offsetMins > 59) throw invalid('the UTC offset is out of range');
  const offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const civil = new Date(0);
  civil.setUTCFullYear(year, month - 1, day);
  civil.setUTCHours(hour, minute, second, 0);
  const seconds = BigInt(civil.getTime() / 1000 - offsetMinutes * 60);
  return { epochNanos: seconds * NANOS_PER_SECOND + BigInt(fraction || '0'), offsetMinutes };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function civilTime(moment: Moment): CivilTime {
  const local = moment.epochNanos + BigInt(moment.offsetMinutes * 60) * NANOS_PER_SECOND;
  let seconds = local / NANOS_PER_SECOND;
  let nanos = local % NANOS_PER_SECOND;
  if (nanos < 0n) { nanos += NANOS_PER_SECOND; seconds -= 1n; }
  const date = new Date(Number(seconds) * 1000);
  const year = date.getUTCFullYear();
  const startOfYear = new Date(0);
  startOfYear.setUTCFullYear(year, 0, 1);
  return {
    year,
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    nanos: Number(nanos),
    weekday: date.getUTCDay(),
    yearDay: Math.floor((date.getTime() - startOfYear.getTime()) / 86_400_000) + 1,
  };
}

export function pad(n: number, width: number): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/** "+05:30", "-0800", or "Z" when `zulu` and the offset is zero (Go's Z07:00). */
export function formatOffset(offsetMinutes: number, colon: boolean, zulu: boolean): string {
  if (zulu && offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

/** Go's Format(time.RFC3339): whole seconds, "Z" for UTC. */
export function formatRfc3339(moment: Moment): string {
  const t = civilTime(moment);
  return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${formatOffset(moment.offsetMinutes, true, true)}`;
}

const MAX_DURATION_NANOS = 2n ** 63n - 1n;

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: NANOS_PER_SECOND, m: 60n * NANOS_PER_SECOND, h: 3600n * NANOS_PER_SECOND,
};

/** Go's time.ParseDuration: "1h30m", "-1.5h", "300ms", "0". */
export function parseDuration(name: string, text: string): bigint {
  const invalid = (): FunctionError => new FunctionError(`${name}: ${JSON.stringify(text)} is not a valid duration (like "1h30m", "-10m", "1.5s"; units h, m, s, ms, us, ns)`);
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.replace(/^[+-]/, '');
  if (body === '0') return 0n;
  if (body === '') throw invalid();
  let total = 0n;
  const part = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const match = part.exec(body);
    const [whole = '', fraction = '', unit = ''] = match ? match.slice(1) : [];
    if (!match || (whole === '' && fraction === '')) throw invalid();
    const scale = UNIT_NANOS[unit] ?? 1n;
    total += BigInt(whole || '0') * scale;
    if (fraction !== '') total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    at = part.lastIndex;
  }
  // Go keeps durations in an int64 of nanoseconds: about 292 years either way.
  if (total > MAX_DURATION_NANOS) throw new FunctionError(`${name}: ${JSON.stringify(text)} is longer than the longest duration (2562047h47m16.854775807s)`);
  return sign * total;
}
