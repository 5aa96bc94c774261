// Expressions evaluate with HCL's semantics: literals, collections, access, splats,
// conditionals and operators.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { evaluated } from './hcl-harness.js';

const CASES: [string, HclValue][] = [
  // literals
  ['42', 42],
  ['1.5e3', 1500],
  ['true', true],
  ['false', false],
  ['null', null],
  ['"plain"', 'plain'],
  ['"tab\\there\\nline \\"q\\" back\\\\slash"', 'tab\there\nline "q" back\\slash'],
  ['"\\u00e9\\U0001F680"', 'é🚀'],
  ['"$${not} %%{this}"', '${not} %{this}'],
  ['""', ''],
  // collections
  ['[]', []],
  ['[1, "a", true, null,]', [1, 'a', true, null]],
  ['{}', {}],
  ['{ a = 1, "b c" = 2, d: 3 }', { a: 1, 'b c': 2, d: 3 }],
  ['{ (var.name) = 1 }', { web: 1 }],
  ['{ var = 1 }', { var: 1 }],
  ['{ "${var.name}-x" = true }', { 'web-x': true }],
  ['{ a = 1\n b = 2 }', { a: 1, b: 2 }],
  ['{ __proto__ = 1 }', JSON.parse('{"__proto__": 1}') as HclValue],
  // access
  ['var.name', 'web'],
  ['var.tags.env', 'prod'],
  ['var.tags["team"]', 'ops'],
  ['var.list[1]', 2],
  ['var.list["2"]', 3],
  ['var.list.0', 1],
  ['local.disks.1.label', 'b'],
  ['local.nested.a.b[0]', 'x'],
  ['[10, 20][1]', 20],
  ['[[1, 2], [3, 4]].1.0', 3],
  ['[[1, 2], [3, 4]].0.1', 2],
  ['{ a = { b = 7 } }.a.b', 7],
  // splats
  ['local.disks[*].size', [10, 20]],
  ['local.disks.*.label', ['a', 'b']],
  ['local.disks[*]', [{ size: 10, label: 'a' }, { size: 20, label: 'b' }]],
  ['var.empty[*]', []],
  ['var.tags[*].env', ['prod']],
  ['local.disks.*.label[1]', 'b'],
  ['[[1, 2], [3]][*][0]', [1, 3]],
  // conditionals
  ['true ? "y" : "n"', 'y'],
  ['var.count > 2 ? var.name : "small"', 'web'],
  ['var.flag ? 1 : 2', 1],
  ['false ? 1 : true ? 2 : 3', 2],
  // Right-associative, as HCL reads it (the grammar groups to the left; the converter unwinds it).
  ['true ? 1 : false ? 2 : 3', 1],
  ['false ? 1 : false ? 2 : 3', 3],
  ['false ? 1 : false ? 2 : true ? 3 : 4', 3],
  ['(true ? false : true) ? 1 : 2', 2],
  ['true ? false ? 1 : 2 : 3', 2],
  ['"x" == "y" ? "one" : "c" == "d" ? "two" : "three"', 'three'],
  // arithmetic, with numeric strings converted
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 / 4', 2.5],
  ['7 % 3', 1],
  ['-var.count', -3],
  ['"5" + 1', 6],
  ['2 - 3 - 4', -5],
  ['var.count * 1.5', 4.5],
  // comparison and logic
  ['3 > 2', true],
  ['3 >= 3', true],
  ['2 < 1', false],
  ['"10" <= 9', false],
  ['!true', false],
  ['!var.flag', false],
  ['true && false', false],
  ['false || true', true],
  ['1 < 2 && 2 < 3 || false', true],
  // equality across types has no conversion
  ['1 == 1', true],
  ['1 == "1"', false],
  ['"a" != "b"', true],
  ['null == null', true],
  ['var.empty == null', true],
  ['[1, [2]] == [1, [2]]', true],
  ['{ a = 1 } == { a = 1 }', true],
  ['{ a = 1 } == { a = 2 }', false],
  ['[1] == { a = 1 }', false],
  // short-circuit: the right side is not needed
  ['var.empty != null && var.empty.x', false],
  ['var.empty == null || var.empty.x', true],
];

for (const [text, expected] of CASES) {
  test(`${text} is ${JSON.stringify(expected)}`, async () => {
    assert.equal(await evaluated(text), expected);
  });
}

test('an object key "__proto__" is data, not the prototype', async () => {
  const value = (await evaluated('{ "__proto__" = { polluted = true } }')) as Record<string, HclValue>;
  assert.ok(Object.hasOwn(value, '__proto__'));
  assert.is(Object.getPrototypeOf(value), Object.prototype);
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test.run();
