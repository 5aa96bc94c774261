// Map functions. Results list keys in cty's order (sorted), whatever order they came in.
import { elementsOf, family, fn, variadic } from './arguments.js';
import { FunctionError } from './function-types.js';
import { compareText, describe, isMap, setEntry, sortedMap, type HclMap } from './values.js';

function sortedKeys(map: HclMap): string[] {
  return Object.keys(map).sort(compareText);
}

export const mapFunctions = family({
  keys: fn(['map'], ([map]) => sortedKeys(map)),
  values: fn(['map'], ([map]) => sortedKeys(map).map((key) => map[key] ?? null)),
  lookup: fn(['map', 'string', 'any?'], ([map, key, fallback]) => {
    if (Object.hasOwn(map, key)) return map[key] ?? null;
    if (fallback !== undefined) return fallback;
    const known = sortedKeys(map);
    throw new FunctionError(`lookup: the map has no key ${JSON.stringify(key)}${known.length ? ` (its keys: ${known.join(', ')})` : ''}`);
  }),
  merge: variadic([], 'any', (_, maps) => {
    const out: HclMap = {};
    maps.forEach((map, i) => {
      if (map === null) return;
      if (!isMap(map)) throw new FunctionError(`merge: argument ${i + 1} must be a map, got ${describe(map)}`);
      for (const [key, value] of Object.entries(map)) setEntry(out, key, value);
    });
    return sortedMap(out);
  }),
  zipmap: fn(['list', 'list'], ([keys, values]) => {
    const names = elementsOf('zipmap', 1, 'string', keys);
    if (names.length !== values.length) {
      throw new FunctionError(`zipmap: the number of keys (${names.length}) does not match the number of values (${values.length})`);
    }
    const out: HclMap = {};
    names.forEach((name, i) => setEntry(out, name, values[i] ?? null));
    return sortedMap(out);
  }),
});
