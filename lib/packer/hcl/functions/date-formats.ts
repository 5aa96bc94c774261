// The two ways templates spell a date format: formatdate's letters (YYYY-MM-DD'T'hh:mm,
// Terraform's spec) and legacy_isotime's Go reference layout (2006-01-02T15:04:05Z07:00).
import { FunctionError } from './function-types.js';
import { civilTime, formatOffset, pad, type CivilTime, type Moment } from './moment.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function monthName(t: CivilTime): string {
  return MONTHS[t.month - 1] ?? '';
}

function weekdayName(t: CivilTime): string {
  return WEEKDAYS[t.weekday] ?? '';
}

function hour12(t: CivilTime): number {
  return t.hour % 12 === 0 ? 12 : t.hour % 12;
}

/** formatdate's letter runs: the run's text picks the field and its width. */
const SPEC_VERBS: Record<string, (t: CivilTime, offset: number) => string> = {
  YYYY: (t) => pad(t.year, 4), YY: (t) => pad(t.year % 100, 2),
  MMMM: (t) => monthName(t), MMM: (t) => monthName(t).slice(0, 3), MM: (t) => pad(t.month, 2), M: (t) => String(t.month),
  DD: (t) => pad(t.day, 2), D: (t) => String(t.day),
  EEEE: (t) => weekdayName(t), EEE: (t) => weekdayName(t).slice(0, 3),
  hh: (t) => pad(t.hour, 2), h: (t) => String(t.hour),
  HH: (t) => pad(hour12(t), 2), H: (t) => String(hour12(t)),
  AA: (t) => (t.hour < 12 ? 'AM' : 'PM'), aa: (t) => (t.hour < 12 ? 'am' : 'pm'),
  mm: (t) => pad(t.minute, 2), m: (t) => String(t.minute),
  ss: (t) => pad(t.second, 2), s: (t) => String(t.second),
  Z: (_, offset) => formatOffset(offset, true, true),
  ZZZ: (_, offset) => (offset === 0 ? 'UTC' : formatOffset(offset, false, false)),
  ZZZZ: (_, offset) => formatOffset(offset, false, false),
  ZZZZZ: (_, offset) => formatOffset(offset, true, false),
};

/** formatdate(spec, timestamp): letters are verbs, '...' is literal text, '' is a quote. */
export function formatDateSpec(spec: string, moment: Moment): string {
  const t = civilTime(moment);
  let out = '';
  const token = /'((?:[^']|'')*)'|''|'|([A-Za-z])\2*|[^'A-Za-z]+/gy;
  for (let match = token.exec(spec); match !== null && match[0] !== ''; match = token.exec(spec)) {
    const [text, quoted] = match;
    if (text === "''") out += "'";
    else if (text === "'") throw new FunctionError(`formatdate: the format has an unterminated literal starting with ' (write '' for a quote)`);
    else if (quoted !== undefined) out += quoted.replaceAll("''", "'");
    else if (/^[A-Za-z]/.test(text)) {
      const verb = Object.hasOwn(SPEC_VERBS, text) ? SPEC_VERBS[text] : undefined;
      if (!verb) throw new FunctionError(`formatdate: invalid date format verb ${JSON.stringify(text)}; put literal letters in single quotes`);
      out += verb(t, moment.offsetMinutes);
    } else out += text;
  }
  return out;
}

/** Go's layout elements, longest first where one is a prefix of another. */
const LAYOUT_ELEMENTS: [string, (t: CivilTime, offset: number) => string][] = [
  ['January', (t) => monthName(t)], ['Jan', (t) => monthName(t).slice(0, 3)],
  ['Monday', (t) => weekdayName(t)], ['Mon', (t) => weekdayName(t).slice(0, 3)],
  ['MST', (_, offset) => (offset === 0 ? 'UTC' : formatOffset(offset, false, false))],
  ['2006', (t) => pad(t.year, 4)], ['06', (t) => pad(t.year % 100, 2)],
  ['002', (t) => pad(t.yearDay, 3)], ['__2', (t) => String(t.yearDay).padStart(3, ' ')],
  ['15', (t) => pad(t.hour, 2)], ['03', (t) => pad(hour12(t), 2)], ['3', (t) => String(hour12(t))],
  ['01', (t) => pad(t.month, 2)], ['1', (t) => String(t.month)],
  ['02', (t) => pad(t.day, 2)], ['_2', (t) => String(t.day).padStart(2, ' ')], ['2', (t) => String(t.day)],
  ['04', (t) => pad(t.minute, 2)], ['4', (t) => String(t.minute)],
  ['05', (t) => pad(t.second, 2)], ['5', (t) => String(t.second)],
  ['PM', (t) => (t.hour < 12 ? 'AM' : 'PM')], ['pm', (t) => (t.hour < 12 ? 'am' : 'pm')],
  ['Z07:00', (_, o) => formatOffset(o, true, true)], ['Z0700', (_, o) => formatOffset(o, false, true)],
  ['Z07', (_, o) => (o === 0 ? 'Z' : formatOffset(o, false, false).slice(0, 3))],
  ['-07:00', (_, o) => formatOffset(o, true, false)], ['-0700', (_, o) => formatOffset(o, false, false)],
  ['-07', (_, o) => formatOffset(o, false, false).slice(0, 3)],
];

/** Go's Time.Format(layout): elements of the reference time are replaced, the rest is kept. */
export function formatGoLayout(layout: string, moment: Moment): string {
  const t = civilTime(moment);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    // Fractional seconds: .000 keeps the digits, .999 trims trailing zeros.
    const fraction = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (fraction?.[1] !== undefined) {
      const digits = pad(t.nanos, 9).slice(0, fraction[1].length);
      const shown = fraction[1].startsWith('9') ? digits.replace(/0+$/, '') : digits;
      out += shown === '' ? '' : `${layout[i]}${shown}`;
      i += fraction[0].length;
      continue;
    }
    const element = LAYOUT_ELEMENTS.find(([name]) => layout.startsWith(name, i));
    if (element) {
      out += element[1](t, moment.offsetMinutes);
      i += element[0].length;
    } else {
      out += layout[i];
      i++;
    }
  }
  return out;
}
