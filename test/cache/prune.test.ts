import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { choosePruneVictims, type PruneCandidate } from '../../lib/cache/prune.js';

// Two chains: install a (used at t=10) with p0 a1 (t=50) -> p1 a2 (t=20); install b (t=30) -> b1 (t=40).
const LAYERS: PruneCandidate[] = [
  { id: 'a', parent: null, bytes: 100, lastUsed: 10 },
  { id: 'a1', parent: 'a', bytes: 10, lastUsed: 50 },
  { id: 'a2', parent: 'a1', bytes: 10, lastUsed: 20 },
  { id: 'b', parent: null, bytes: 100, lastUsed: 30 },
  { id: 'b1', parent: 'b', bytes: 10, lastUsed: 40 },
];

const CASES: [name: string, limit: number, keep: string[], victims: string[]][] = [
  ['under the limit: nothing goes', 230, [], []],
  ['the stalest leaf first, alone when that is enough', 225, [], ['a2']],
  ['a chain is as recent as its latest use: b (40) goes before a (50)', 200, [], ['a2', 'b1', 'b']],
  ['everything when the limit is 0', 0, [], ['a2', 'b1', 'b', 'a1', 'a']],
  ['kept layers and what they stand on stay', 0, ['a2'], ['b1', 'b']],
  ['kept install: its subtree may still shrink', 100, ['a'], ['a2', 'b1', 'b', 'a1']],
];

for (const [name, limit, keep, victims] of CASES) {
  test(name, () => assert.equal(choosePruneVictims(LAYERS, limit, keep), victims));
}

test('ties go to the deeper layer (the smaller loss)', () => {
  const layers: PruneCandidate[] = [
    { id: 'r', parent: null, bytes: 5, lastUsed: 1 },
    { id: 'c', parent: 'r', bytes: 5, lastUsed: 1 },
  ];
  assert.equal(choosePruneVictims(layers, 5, []), ['c']);
});

test.run();
