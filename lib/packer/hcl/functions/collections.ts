// List functions. Lists are JS arrays; a set argument arrives as an array too.
import { elementsOf, expect, family, fn, variadic } from './arguments.js';
import { FunctionError, type HclValue } from './function-types.js';
import { graphemes } from './strings.js';
import { compareText, deepEqual, describe, isMap, unifyPrimitives } from './values.js';

/** Packer's range refuses to build a longer list (a typo in a limit should not eat memory). */
const RANGE_LIMIT = 1024;

function flatten(list: HclValue[]): HclValue[] {
  return list.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/** range(end), range(start, end), range(start, end, step): end is excluded; the step's sign must point from start to end. */
function range(name: string, numbers: number[]): number[] {
  const [first = 0, second, third] = numbers;
  const [start, end] = second === undefined ? [0, first] : [first, second];
  const step = third ?? (end < start ? -1 : 1);
  if (step === 0) throw new FunctionError(`${name}: step must not be zero`);
  if (step < 0 && end > start) throw new FunctionError(`${name}: end must be less than start when step is negative`);
  if (step > 0 && end < start) throw new FunctionError(`${name}: end must be greater than start when step is positive`);
  const out: number[] = [];
  for (let i = 0; ; i++) {
    // From start each time, kept to 15 digits: 0.1 steps read 0.3, not 0.30000000000000004.
    const value = Number((start + i * step).toPrecision(15));
    if (step > 0 ? value >= end : value <= end) return out;
    if (out.length === RANGE_LIMIT) {
      throw new FunctionError(`${name}: more than ${RANGE_LIMIT} values were generated; either decrease the difference between start and end or use a smaller step`);
    }
    out.push(value);
  }
}

function slice(list: HclValue[], start: number, end: number): HclValue[] {
  if (start < 0) throw new FunctionError(`slice: the start index must be 0 or more, got ${start}`);
  if (end > list.length) throw new FunctionError(`slice: the end index must be at most the list's length ${list.length}, got ${end}`);
  if (start > end) throw new FunctionError(`slice: the start index ${start} must not be greater than the end index ${end}`);
  return list.slice(start, end);
}

function chunks(list: HclValue[], size: number): HclValue[][] {
  if (size < 0) throw new FunctionError(`chunklist: the size must be 0 or more, got ${size}`);
  if (size === 0) return [list];
  const out: HclValue[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export const collectionFunctions = family({
  length: fn(['any'], ([value]) => {
    if (typeof value === 'string') return graphemes(value).length;
    if (Array.isArray(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    throw new FunctionError(`length: argument 1 must be a string, list or map, got ${describe(value)}`);
  }),
  concat: variadic([], 'list', (_, lists) => lists.flat(), 1),
  contains: fn(['list', 'any'], ([list, value]) => list.some((item) => deepEqual(item, value))),
  index: fn(['list', 'any'], ([list, value]) => {
    const at = list.findIndex((item) => deepEqual(item, value));
    if (at < 0) throw new FunctionError('index: the given value is not in the list');
    return at;
  }),
  element: fn(['list', 'integer'], ([list, at]) => {
    if (list.length === 0) throw new FunctionError('element: cannot use element function with an empty list');
    // Wraps both ways, as cty does: -1 is the last element.
    return list[((at % list.length) + list.length) % list.length] ?? null;
  }),
  flatten: fn(['list'], ([list]) => flatten(list)),
  distinct: fn(['list'], ([list]) => list.filter((item, i) => list.findIndex((seen) => deepEqual(seen, item)) === i)),
  compact: fn(['list'], ([list]) => list
    .flatMap((item, i) => (item === null ? [] : [expect('compact', `element ${i + 1} of argument 1`, 'string', item)]))
    .filter((item) => item !== '')),
  reverse: fn(['list'], ([list]) => [...list].reverse()),
  sort: fn(['list'], ([list]) => elementsOf('sort', 1, 'string', list).sort(compareText)),
  slice: fn(['list', 'integer', 'integer'], ([list, start, end]) => slice(list, start, end)),
  chunklist: fn(['list', 'integer'], ([list, size]) => chunks(list, size)),
  range: variadic([], 'number', (_, numbers) => {
    if (numbers.length > 3) throw new FunctionError(`range: expects 1 to 3 arguments, got ${numbers.length}`);
    return range('range', numbers);
  }, 1),
  coalesce: variadic([], 'any', (_, values) => {
    const unified = unifyPrimitives('coalesce', values);
    const found = unified.find((value) => value !== null && value !== '');
    if (found === undefined) throw new FunctionError('coalesce: no non-null, non-empty-string arguments');
    return found;
  }, 1),
  coalescelist: variadic([], 'any', (_, values) => {
    values.forEach((value, i) => {
      if (value !== null && !Array.isArray(value)) throw new FunctionError(`coalescelist: argument ${i + 1} must be a list, got ${describe(value)}`);
    });
    const found = values.find((value) => Array.isArray(value) && value.length > 0);
    if (found === undefined) throw new FunctionError('coalescelist: no non-empty list arguments');
    return found;
  }, 1),
});
