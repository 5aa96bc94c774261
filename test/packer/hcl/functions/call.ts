// Calls a library function by name with a fixed context, and registers tables of cases:
// each case is one uvu test named after the call, so a failure says which one.
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { FunctionError, hclFunctions, type FunctionContext, type HclValue } from '../../../../lib/packer/hcl/functions/index.js';

export const NOW = new Date('2024-03-05T07:08:09.123Z');

export function contextWith(overrides: Partial<FunctionContext> = {}): FunctionContext {
  return { cwd: '/project', env: { HOME: '/home/builder', GREETING: 'hi' }, now: () => NOW, ...overrides };
}

export function call(name: string, args: HclValue[], context = contextWith()): HclValue {
  const fn = hclFunctions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return fn(args, context);
}

/** The FunctionError message a call throws (failing the test when it returns or throws anything else). */
export function failure(name: string, args: HclValue[], context = contextWith()): string {
  try {
    const result = call(name, args, context);
    assert.unreachable(`${name} returned ${JSON.stringify(result)}`);
  } catch (error) {
    if (!(error instanceof FunctionError)) throw error;
    return error.message;
  }
  return '';
}

function label(name: string, args: HclValue[]): string {
  const text = `${name}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`;
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

export type ResultCase = [name: string, args: HclValue[], want: HclValue];
export type ErrorCase = [name: string, args: HclValue[], message: string];

export function resultCases(test: Test, cases: ResultCase[], context?: FunctionContext): void {
  for (const [name, args, want] of cases) test(label(name, args), () => assert.equal(call(name, args, context), want));
}

/** Each message is expected whole: the function's name, what was wrong, and what was given. */
export function errorCases(test: Test, cases: ErrorCase[], context?: FunctionContext): void {
  for (const [name, args, message] of cases) test(`${label(name, args)} fails`, () => assert.is(failure(name, args, context), message));
}
