import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, errorCases, resultCases } from './call.js';

resultCases(test, [
  ['keys', [{ b: 1, a: 2, c: 3 }], ['a', 'b', 'c']],
  ['values', [{ b: 1, a: 2, c: 3 }], [2, 1, 3]],
  ['keys', [{}], []],
  ['lookup', [{ a: 'ay', b: 'bee' }, 'a'], 'ay'],
  ['lookup', [{ a: 'ay' }, 'c', 'what?'], 'what?'],
  ['lookup', [{ a: null }, 'a', 'x'], null],
  ['merge', [{ a: 'b', c: 'd' }, { e: 'f', c: 'z' }], { a: 'b', c: 'z', e: 'f' }],
  ['merge', [{ a: 1 }, null, { b: [2] }], { a: 1, b: [2] }],
  ['merge', [], {}],
  ['zipmap', [['b', 'a'], [1, [2]]], { a: [2], b: 1 }],
  ['setunion', [['a', 'b'], ['b', 'c'], ['d']], ['a', 'b', 'c', 'd']],
  ['setunion', [[10, 2], [2, 1]], [1, 2, 10]],
  ['setunion', [['x', 1]], ['1', 'x']],
  ['setintersection', [['a', 'b', 'c'], ['b', 'c', 'd'], ['c', 'b']], ['b', 'c']],
  ['setintersection', [['a'], ['b']], []],
  ['setproduct', [['development', 'staging'], ['app1', 'app2']], [['development', 'app1'], ['development', 'app2'], ['staging', 'app1'], ['staging', 'app2']]],
  ['setproduct', [['a'], []], []],
  ['toset', [['c', 'a', 'c']], ['a', 'c']],
]);

errorCases(test, [
  ['keys', [['a']], 'keys: argument 1 must be a map, got a list'],
  ['lookup', [{ a: 1, b: 2 }, 'c'], 'lookup: the map has no key "c" (its keys: a, b)'],
  ['lookup', [{}, 'c'], 'lookup: the map has no key "c"'],
  ['lookup', [{}, 'a', 'b', 'c'], 'lookup: expects 2 or 3 arguments, got 4'],
  ['merge', [{ a: 1 }, ['b']], 'merge: argument 2 must be a map, got a list'],
  ['zipmap', [['a', 'b'], [1]], 'zipmap: the number of keys (2) does not match the number of values (1)'],
  ['zipmap', [[['a']], [1]], 'zipmap: element 1 of argument 1 must be a string, got a list'],
  ['setunion', [], 'setunion: expects at least 1 argument, got 0'],
  ['setproduct', [['a']], 'setproduct: expects at least 2 arguments, got 1'],
  ['setunion', [['a'], [['b']]], 'setunion: the values must all have one type, got list and string values'],
]);

test('map results list their keys sorted, like cty', () => {
  assert.equal(Object.keys(call('merge', [{ z: 1 }, { a: 2 }]) as object), ['a', 'z']);
  assert.equal(Object.keys(call('zipmap', [['z', 'a'], [1, 2]]) as object), ['a', 'z']);
});

test('a "__proto__" key stays an ordinary entry', () => {
  const merged = call('merge', [JSON.parse('{"__proto__": {"polluted": true}}') as { [key: string]: null }]) as Record<string, unknown>;
  assert.equal(Object.keys(merged), ['__proto__']);
  assert.is(Object.getPrototypeOf(merged), Object.prototype);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test.run();
