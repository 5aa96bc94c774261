import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainMiss } from '../../lib/cache/explain.js';

const CASES: [name: string, current: Record<string, string>, previous: Record<string, string> | undefined, expected: string][] = [
  ['nothing to compare with', { a: '1' }, undefined, 'provision[2]: not in the cache yet'],
  ['one input changed', { 'script scripts/setup.sh': '2', sudo: '1' }, { 'script scripts/setup.sh': '1', sudo: '1' }, 'provision[2]: script scripts/setup.sh changed'],
  ['an input added', { a: '1', 'source files/x': '1' }, { a: '1' }, 'provision[2]: source files/x added'],
  ['an input removed', { a: '1' }, { a: '1', 'inline commands': '1' }, 'provision[2]: inline commands removed'],
  ['several, in order', { a: '2', b: '2', c: '1' }, { a: '1', b: '1', c: '1' }, 'provision[2]: a changed, b changed'],
  ['more than three are counted', { a: '2', b: '2', c: '2', d: '2', e: '2' }, { a: '1', b: '1', c: '1', d: '1', e: '1' }, 'provision[2]: a changed, b changed, c changed and 2 more'],
  ['same inputs: something under it changed', { a: '1' }, { a: '1' }, 'provision[2]: an earlier stage changed'],
];

for (const [name, current, previous, expected] of CASES) {
  test(name, () => assert.is(explainMiss('provision[2]', current, previous), expected));
}

test.run();
