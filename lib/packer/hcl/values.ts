// HCL's view of kiln's plain values: type names for messages, equality, and the implicit
// conversions operators and templates make (number <-> string, bool <-> "true"/"false").
// Messages name a value's kind, never its content: it may be a secret.
import type { HclValue } from './functions/function-types.js';

export type ValueKind = 'string' | 'number' | 'bool' | 'null' | 'list' | 'object';

export function kindOf(value: HclValue): ValueKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** "a string", "an object", "null". */
export function describeValue(value: HclValue): string {
  const kind = kindOf(value);
  if (kind === 'null') return 'null';
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

export const isObject = (value: HclValue): value is { [key: string]: HclValue } => kindOf(value) === 'object';

/** HCL equality: same type and same content; 1 == "1" is false. */
export function valuesEqual(a: HclValue, b: HclValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]!));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key]!, b[key]!));
  }
  return false;
}

/** A primitive as a string, or undefined when it has none (null, lists, objects). */
export function asString(value: HclValue): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** Numbers in plain decimal, never with an exponent, as HCL prints them: 1e21 is "1000000000000000000000". */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (exponent === null) return text;
  // Only tiny fractions print with an exponent in JS (large numbers are integers, above).
  const [, sign, first, rest = '', zeros] = exponent;
  return `${sign}0.${'0'.repeat(Number(zeros) - 1)}${first}${rest}`;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function asNumber(value: HclValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim()) && value.trim() === value) return Number(value);
  return undefined;
}

export function asBool(value: HclValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
