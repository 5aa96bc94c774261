// Go's time.Format for a UTC time, as `{{ isotime "2006-01-02" }}` uses it: a layout
// writes the reference time Mon Jan 2 15:04:05 MST 2006 the way the result should look.
// Always UTC, as Packer's isotime is: zones print as "UTC", "Z" and "+00:00".

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number, fill = '0') => String(n).padStart(width, fill);

type Element = (t: Date) => string;

const hour12 = (t: Date) => t.getUTCHours() % 12 || 12;
const yearDay = (t: Date) => Math.floor((Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;

// Longest first where one element's text starts another's, as Go matches them.
const ELEMENTS: [string, Element][] = [
  ['January', (t) => MONTHS[t.getUTCMonth()]!],
  ['Jan', (t) => MONTHS[t.getUTCMonth()]!.slice(0, 3)],
  ['Monday', (t) => DAYS[t.getUTCDay()]!],
  ['Mon', (t) => DAYS[t.getUTCDay()]!.slice(0, 3)],
  ['MST', () => 'UTC'],
  ['2006', (t) => pad(t.getUTCFullYear(), 4)],
  ['002', (t) => pad(yearDay(t), 3)],
  ['01', (t) => pad(t.getUTCMonth() + 1, 2)],
  ['02', (t) => pad(t.getUTCDate(), 2)],
  ['03', (t) => pad(hour12(t), 2)],
  ['04', (t) => pad(t.getUTCMinutes(), 2)],
  ['05', (t) => pad(t.getUTCSeconds(), 2)],
  ['06', (t) => pad(t.getUTCFullYear() % 100, 2)],
  ['15', (t) => pad(t.getUTCHours(), 2)],
  ['__2', (t) => pad(yearDay(t), 3, ' ')],
  ['_2', (t) => pad(t.getUTCDate(), 2, ' ')],
  ['1', (t) => String(t.getUTCMonth() + 1)],
  ['2', (t) => String(t.getUTCDate())],
  ['3', (t) => String(hour12(t))],
  ['4', (t) => String(t.getUTCMinutes())],
  ['5', (t) => String(t.getUTCSeconds())],
  ['PM', (t) => (t.getUTCHours() < 12 ? 'AM' : 'PM')],
  ['pm', (t) => (t.getUTCHours() < 12 ? 'am' : 'pm')],
  ['Z07:00:00', () => 'Z'],
  ['Z070000', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07', () => 'Z'],
  ['-07:00:00', () => '+00:00:00'],
  ['-070000', () => '+000000'],
  ['-07:00', () => '+00:00'],
  ['-0700', () => '+0000'],
  ['-07', () => '+00'],
];

/** `t` (in UTC) written with Go layout `layout`. */
export function formatGoTime(t: Date, layout: string): string {
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    // "_2006" is a literal underscore before a year, not a padded day.
    if (layout.startsWith('_2006', i)) {
      out += '_';
      i++;
      continue;
    }
    const fraction = fractionAt(layout, i);
    if (fraction) {
      out += formatFraction(t, fraction.separator, fraction.digit, fraction.width);
      i += fraction.width + 1;
      continue;
    }
    for (const [text, element] of ELEMENTS) {
      if (layout.startsWith(text, i)) {
        out += element(t);
        i += text.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}

/** ".000" (fixed digits) or ".999" (trailing zeros dropped), not followed by another digit. */
function fractionAt(layout: string, i: number): { separator: string; digit: string; width: number } | undefined {
  const separator = layout[i];
  const digit = layout[i + 1];
  if ((separator !== '.' && separator !== ',') || (digit !== '0' && digit !== '9')) return undefined;
  let j = i + 1;
  while (layout[j] === digit) j++;
  if (/\d/.test(layout[j] ?? '')) return undefined;
  return { separator, digit, width: j - i - 1 };
}

function formatFraction(t: Date, separator: string, digit: string, width: number): string {
  // A Date holds milliseconds; the digits past them are zeros.
  const digits = pad(t.getUTCMilliseconds(), 3).padEnd(9, '0').slice(0, width);
  if (digit === '0') return separator + digits;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? '' : separator + trimmed;
}
