// Type conversions, with cty's rules: primitives convert to each other where the text
// allows it, null stays null, and a list or map never becomes a primitive.
import { convert, family, fn, type Kind } from './arguments.js';
import { FunctionError, type HclValue } from './function-types.js';
import { describe, isMap, setEntry, sortedMap, toSetList, unifyPrimitives, type HclMap } from './values.js';

function toPrimitive(name: string, kind: Kind, value: HclValue): HclValue {
  if (value === null) return null;
  const converted = convert(kind, value);
  if (converted === undefined || Array.isArray(converted) || isMap(converted)) {
    const given = typeof value === 'string' ? JSON.stringify(value) : describe(value);
    throw new FunctionError(`${name}: cannot convert ${given} to ${kind === 'bool' ? 'a bool' : `a ${kind}`}`);
  }
  return converted;
}

function listOf(name: string, value: HclValue): HclValue[] {
  if (!Array.isArray(value)) throw new FunctionError(`${name}: argument 1 must be a list, got ${describe(value)}`);
  return value;
}

export const conversionFunctions = family({
  tostring: fn(['any'], ([value]) => toPrimitive('tostring', 'string', value)),
  tonumber: fn(['any'], ([value]) => toPrimitive('tonumber', 'number', value)),
  tobool: fn(['any'], ([value]) => toPrimitive('tobool', 'bool', value)),
  tolist: fn(['any'], ([value]) => (value === null ? null : unifyPrimitives('tolist', listOf('tolist', value)))),
  toset: fn(['any'], ([value]) => (value === null ? null : toSetList('toset', listOf('toset', value)))),
  tomap: fn(['any'], ([value]) => {
    if (value === null) return null;
    if (!isMap(value)) throw new FunctionError(`tomap: argument 1 must be a map, got ${describe(value)}`);
    const keys = Object.keys(value);
    const unified = unifyPrimitives('tomap', keys.map((key) => value[key] ?? null));
    const out: HclMap = {};
    keys.forEach((key, i) => setEntry(out, key, unified[i] ?? null));
    return sortedMap(out);
  }),
});
