// Set functions. A set comes out as a list in cty's set order: duplicates gone, strings
// sorted by text and numbers by value.
import { family, variadic } from './arguments.js';
import type { HclValue } from './function-types.js';
import { deepEqual, toSetList } from './values.js';

function product(lists: HclValue[][]): HclValue[][] {
  return lists.reduce<HclValue[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

export const setFunctions = family({
  setunion: variadic([], 'list', (_, sets) => toSetList('setunion', sets.flat()), 1),
  setintersection: variadic([], 'list', (_, sets) => {
    const [first = [], ...others] = sets.map((set) => toSetList('setintersection', set));
    return first.filter((item) => others.every((set) => set.some((other) => deepEqual(other, item))));
  }, 1),
  setproduct: variadic([], 'list', (_, sets) => product(sets), 2),
});
