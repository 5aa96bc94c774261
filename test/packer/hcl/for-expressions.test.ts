// for expressions: list and object forms, key/value iterators, filters, grouping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { evaluated, evaluationError } from './hcl-harness.js';

const CASES: [string, HclValue][] = [
  ['[for x in var.list : x * 10]', [10, 20, 30]],
  ['[for i, x in ["a", "b"] : "${i}${x}"]', ['0a', '1b']],
  ['[for x in var.list : x if x != 2]', [1, 3]],
  ['[for k, v in var.tags : "${k}=${v}"]', ['env=prod', 'team=ops']],
  ['[for v in { b = 2, a = 1 } : v]', [1, 2]],
  ['{for d in local.disks : d.label => d.size}', { a: 10, b: 20 }],
  ['{for k, v in var.tags : upper(k) => v}', { ENV: 'prod', TEAM: 'ops' }],
  ['{for x in [1, 2, 3, 4] : (x % 2 == 0 ? "even" : "odd") => x...}', { odd: [1, 3], even: [2, 4] }],
  ['{for x in var.list : x => x * x if x > 1}', { '2': 4, '3': 9 }],
  ['[for x in [] : x]', []],
  ['[for row in [[1, 2], [3]] : [for x in row : x + 1]]', [[2, 3], [4]]],
  // an iterator shadows an outer name only inside the loop
  ['[for var in [1] : var]', [1]],
  ['[[for var in [1] : var], var.name]', [[1], 'web']],
];

for (const [text, expected] of CASES) {
  test(`${text} is ${JSON.stringify(expected)}`, async () => {
    assert.equal(await evaluated(text), expected);
  });
}

const ERRORS: [string, string, number][] = [
  ['[for x in "abc" : x]', 'a for loop needs a list or an object to iterate, got a string', 15],
  ['[for x in null : x]', 'a for loop needs a list or an object to iterate, got null', 15],
  ['[for x in var.list : x if x]', 'a for expression\'s "if" must be a bool, got a number', 31],
  ['{for x in [1, 1] : x => x}', 'two elements have the key "1"; add "..." after the value to group them into lists', 24],
  ['{for x in [[1]] : x => 1}', 'a for expression\'s key must be a string, got a list', 23],
  ['[for x in var.list : y]', 'there is no variable named "y": did you mean "x"?', 26],
];

for (const [text, message, column] of ERRORS) {
  test(`${text} fails at column ${column}: ${message}`, async () => {
    const error = await evaluationError(text);
    assert.is(error.message, message);
    assert.is(error.span.column, column);
  });
}

test.run();
