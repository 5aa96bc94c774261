// Evaluation errors name what was expected and what was found, at the expression's
// file:line:col, and never show a value's content (it may be a secret).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluationError } from './hcl-harness.js';

const ERRORS: [string, string, [number, number]][] = [
  ['vr.name', 'there is no variable named "vr": did you mean "var"?', [5, 7]],
  ['var.nam', 'var has no attribute "nam": did you mean "name"?', [5, 12]],
  ['var.list.name', 'cannot read attribute "name" of var.list: it is a list; use [*] to read it from every element', [5, 18]],
  ['var.empty.name', 'cannot read attribute "name" of var.empty: it is null', [5, 19]],
  ['var.name.x', 'cannot read attribute "x" of var.name: it is a string', [5, 15]],
  ['var.list[3]', 'index 3 is out of range: var.list has 3 elements', [5, 16]],
  ['var.list[-1]', 'index -1 is out of range: var.list has 3 elements', [5, 17]],
  ['var.list[0.5]', 'a list index must be a whole number, got a number', [5, 18]],
  ['var.list["x"]', 'a list index must be a whole number, got a string', [5, 18]],
  ['var.tags["nope"]', 'var.tags has no key "nope"', [5, 21]],
  ['var.tags[["x"]]', 'an object key must be a string, got a list', [5, 20]],
  ['var.name[0]', 'cannot index var.name: it is a string; only lists and objects have elements', [5, 16]],
  ['var.empty[0]', 'cannot index var.empty: it is null', [5, 17]],
  ['local.disks[1].sise', 'local.disks[1] has no attribute "sise": did you mean "size"?', [5, 24]],
  ['local.disks[*].nope', 'an element has no attribute "nope"', [16, 24]],
  ['[[1]][0].x', 'cannot read attribute "x" of the value: it is a list; use [*] to read it from every element', [5, 15]],
  ['1 + "x"', '"+" needs a number, got a string', [9, 12]],
  ['[1] * 2', '"*" needs a number, got a list', [5, 8]],
  ['-"abc"', '"-" needs a number, got a string', [5, 11]],
  ['!1', '"!" needs a bool, got a number', [5, 7]],
  ['1 && true', '"&&" needs a bool, got a number', [5, 6]],
  ['false || "maybe"', '"||" needs a bool, got a string', [14, 21]],
  ['1 / 0', 'division by zero', [5, 10]],
  ['5 % 0', 'modulo by zero', [5, 10]],
  ['1.0e308 * 10', 'the result is too large for a number', [5, 17]],
  ['"yes" ? 1 : 2', 'the condition must be a bool, got a string', [5, 10]],
  ['{ (var.list) = 1 }', 'an object key must be a string, got a list', [8, 16]],
  ['"x${var.list}"', 'cannot insert a list into a string', [9, 17]],
  ['"x${var.empty}"', 'cannot insert null into a string', [9, 18]],
  ['"%{ if 1 }x%{ endif }"', '%{ if } needs a bool, got a number', [12, 13]],
  ['"%{ for x in 1 }x%{ endfor }"', 'a for loop needs a list or an object to iterate, got a number', [18, 19]],
];

for (const [text, message, [column, endColumn]] of ERRORS) {
  test(`${text}: ${message}`, async () => {
    const error = await evaluationError(text);
    assert.is(error.message, message);
    assert.equal([error.span.file, error.span.line, error.span.column, error.span.endColumn], ['test.pkr.hcl', 1, column, endColumn]);
  });
}

test('an error is located in a multi-line expression and reported as an Issue', async () => {
  const error = await evaluationError('{\n  a = 1\n  b = var.tags.missing\n}');
  assert.equal(error.toIssue('locals.b'), { path: 'locals.b', message: 'var.tags has no attribute "missing"', file: 'test.pkr.hcl', line: 3, column: 7 });
  assert.is(error.located(), 'test.pkr.hcl:3:7: var.tags has no attribute "missing"');
});

test.run();
