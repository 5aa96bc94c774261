// What every family shares about values: how a value is named in a message, how numbers
// print (cty's decimal text: 1.0 is "1", never an exponent), deep equality, and cty's
// order for maps (by key) and for sets (strings by text, numbers by value).
import { FunctionError, type HclValue } from './function-types.js';

export type HclMap = { [key: string]: HclValue };

export function isMap(value: HclValue): value is HclMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "a string", "a list", "null": how a value's type reads in a message. */
export function describe(value: HclValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'boolean') return 'a bool';
  return `a ${typeof value}`;
}

/** A number as cty prints it: plain decimal digits, no exponent, no trailing ".0". */
export function numberToString(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  const text = String(n);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, rest = '', power] = exponent;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A primitive as a string, as cty converts it; undefined for what has no string form. */
export function primitiveToString(value: HclValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A string as a number, as cty converts it (decimal only); undefined when it is not one. */
export function parseDecimal(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

export function deepEqual(a: HclValue, b: HclValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i] ?? null));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key] ?? null, b[key] ?? null));
  }
  return false;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Compares strings by code point, as Go compares them (JS's < compares UTF-16 units). */
export function compareText(a: string, b: string): number {
  // Without surrogate pairs, UTF-16 unit order is code point order.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** Sets a map entry as an own property, even for the key "__proto__" (which `=` would treat as the prototype). */
export function setEntry(map: HclMap, key: string, value: HclValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A new map with the same entries, keys in cty's order. */
export function sortedMap(map: HclMap): HclMap {
  const out: HclMap = {};
  for (const key of Object.keys(map).sort(compareText)) setEntry(out, key, map[key] ?? null);
  return out;
}

/** Deep copy with every map's keys sorted, so results print the way cty prints them. */
export function normalise(value: HclValue): HclValue {
  if (Array.isArray(value)) return value.map(normalise);
  if (isMap(value)) {
    const out: HclMap = {};
    for (const key of Object.keys(value).sort(compareText)) setEntry(out, key, normalise(value[key] ?? null));
    return out;
  }
  return value;
}

/**
 * Primitives brought to one type the way cty unifies them for a list or map: all numbers
 * or all bools stay as they are; a mix with strings becomes strings. Structures are kept.
 */
export function unifyPrimitives(fn: string, values: HclValue[]): HclValue[] {
  const kinds = new Set(values.filter((v) => v !== null).map((v) => describe(v).replace(/^an? /, '')));
  if (kinds.size <= 1) return values;
  const structured = kinds.has('list') || kinds.has('map');
  if (structured) throw new FunctionError(`${fn}: the values must all have one type, got ${[...kinds].sort().join(' and ')} values`);
  return values.map((v) => (v === null ? null : (primitiveToString(v) as string)));
}

/**
 * A set of values as cty lists it: duplicates dropped, strings in text order, numbers by
 * value, false before true; lists and maps in the order they came.
 */
export function toSetList(fn: string, values: HclValue[]): HclValue[] {
  const unique: HclValue[] = [];
  for (const value of unifyPrimitives(fn, values)) if (!unique.some((seen) => deepEqual(seen, value))) unique.push(value);
  return unique.sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
    return 0;
  });
}
