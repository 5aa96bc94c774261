// Variable type constraints: parsed as written, described in words, and applied with
// HCL's conversions; errors say where in the value and what kind was found.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { HclError } from '../../../lib/packer/hcl/hcl-error.js';
import { convertToType, describeType, parseTypeConstraint, TypeConversionError, type TypeConstraint } from '../../../lib/packer/hcl/type-constraint.js';
import { expression } from './hcl-harness.js';

const typeOf = async (text: string): Promise<TypeConstraint> => parseTypeConstraint(await expression(text));

const DESCRIPTIONS: [string, string][] = [
  ['string', 'string'],
  ['number', 'number'],
  ['bool', 'bool'],
  ['any', 'value of any type'],
  ['list(string)', 'list of string'],
  ['set(number)', 'set of number'],
  ['map(list(string))', 'map of list of string'],
  ['tuple([string, number])', 'tuple of [string, number]'],
  ['object({ name = string, size = optional(number, 10) })', 'object with name (string), size (optional number)'],
  ['object({})', 'object'],
];

for (const [text, description] of DESCRIPTIONS) {
  test(`${text} is "${description}"`, async () => {
    assert.is(describeType(await typeOf(text)), description);
  });
}

const CONVERSIONS: [string, HclValue, HclValue][] = [
  ['string', 'x', 'x'],
  ['string', 42, '42'],
  ['string', 1.5, '1.5'],
  ['string', true, 'true'],
  ['string', null, null],
  ['number', '42', 42],
  ['number', '-1.5e2', -150],
  ['bool', 'false', false],
  ['bool', true, true],
  ['any', { a: [1] }, { a: [1] }],
  ['list(string)', [1, 'a', false], ['1', 'a', 'false']],
  ['list(number)', [], []],
  ['set(string)', ['a', 'b', 'a', 1, '1'], ['a', 'b', '1']],
  ['map(number)', { a: '1', b: 2 }, { a: 1, b: 2 }],
  ['map(list(bool))', { x: ['true', false] }, { x: [true, false] }],
  ['tuple([string, number])', [1, '2'], ['1', 2]],
  ['object({ name = string, size = number })', { name: 'a', size: '3', extra: true }, { name: 'a', size: 3 }],
  ['object({ name = string, size = optional(number) })', { name: 'a' }, { name: 'a', size: null }],
  ['object({ name = string, size = optional(number, "10") })', { name: 'a' }, { name: 'a', size: 10 }],
  ['object({ tags = optional(map(string), {}) })', {}, { tags: {} }],
  ['list(object({ n = optional(number, 1) }))', [{}, { n: 5 }], [{ n: 1 }, { n: 5 }]],
];

for (const [text, value, expected] of CONVERSIONS) {
  test(`${JSON.stringify(value)} as ${text} is ${JSON.stringify(expected)}`, async () => {
    assert.equal(convertToType(value, await typeOf(text)), expected);
  });
}

const MISMATCHES: [string, HclValue, string][] = [
  ['string', [1], 'a string is required, got a list'],
  ['number', 'ten', 'a number is required, got a string'],
  ['bool', 'yes', 'a bool is required, got a string'],
  ['bool', 1, 'a bool is required, got a number'],
  ['list(string)', 'a', 'a list of string is required, got a string'],
  ['list(string)', { a: 'b' }, 'a list of string is required, got an object'],
  ['list(number)', [1, 'x'], '[1]: a number is required, got a string'],
  ['map(string)', ['a'], 'a map of string is required, got a list'],
  ['map(number)', { 'a b': 'x' }, '["a b"]: a number is required, got a string'],
  ['tuple([string, number])', ['a'], 'a tuple of [string, number] is required, got a list'],
  ['object({ name = string })', {}, 'attribute "name" is required'],
  ['list(object({ disk = object({ size = number }) }))', [{ disk: { size: 1 } }, { disk: { size: [] } }], '[1].disk.size: a number is required, got a list'],
  ['object({ a = object({ b = string }) })', { a: {} }, '.a: attribute "b" is required'],
];

for (const [text, value, message] of MISMATCHES) {
  test(`${JSON.stringify(value)} is not ${text}: ${message}`, async () => {
    const type = await typeOf(text);
    assert.throws(() => convertToType(value, type), (error: unknown) => error instanceof TypeConversionError && error.message === message);
  });
}

test('a secret never reaches a conversion error', async () => {
  assert.throws(() => convertToType({ password: 's3cret-pw' }, { kind: 'list', element: { kind: 'string' } }), (error: Error) => !error.message.includes('s3cret'));
});

const BAD_TYPES: [string, string, number][] = [
  ['strin', 'unknown type "strin"; a type is string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) or object({ name = T, ... })', 5],
  ['list', '"list" needs its element type, as in list(string)', 5],
  ['object', '"object" needs its attributes, as in object({ name = string })', 5],
  ['"string"', 'a type is written without quotes: string', 5],
  ['"list"', 'a type is written without quotes: list(string)', 5],
  ['list(string, number)', 'list() takes exactly one argument', 5],
  ['tuple(string)', 'tuple() takes a list of element types, as in tuple([string, number])', 11],
  ['object([string])', 'object() takes an object of attribute types, as in object({ name = string })', 12],
  ['optional(string)', 'optional() marks an attribute inside object({ ... }); it is not a type by itself', 5],
  ['object({ a = optional(string, var.x) })', 'an optional() default must be a constant value: there is no variable named "var"', 35],
  ['map(strng)', 'unknown type "strng"; a type is string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) or object({ name = T, ... })', 9],
  ['object({ a = string, a = number })', 'attribute "a" is given twice in object({ ... })', 26],
  ['frob(string)', 'unknown type constructor "frob"; a type is string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) or object({ name = T, ... })', 5],
];

for (const [text, message, column] of BAD_TYPES) {
  test(`type ${text} is an error at column ${column}`, async () => {
    const expr = await expression(text);
    assert.throws(() => parseTypeConstraint(expr), (error: unknown) => error instanceof HclError && error.message === message && error.span.column === column);
  });
}

test.run();
