import * as assert from 'uvu/assert';
import { KilnError } from '../../lib/errors.js';

// "This must fail; check the error": each returns the error for the test to assert on.
// `label` (the case, or what happened instead) goes into the message when it fails.

/** The error a promise rejects with; the test fails if it resolves instead. */
export async function rejection(promise: Promise<unknown>, label?: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, Error, got('an Error', error, label));
    return error as Error;
  }
  throw new Error(expected('a rejection', label));
}

/** Like rejection(), and the error must be one of kiln's typed errors. */
export async function kilnRejection(promise: Promise<unknown>, label?: string): Promise<KilnError> {
  const error = await rejection(promise, label);
  assert.instance(error, KilnError, got('a KilnError', error, label));
  return error as KilnError;
}

/** The error `fn` throws; the test fails if it returns instead. */
export function thrown(fn: () => unknown, label?: string): Error {
  try {
    fn();
  } catch (error) {
    assert.instance(error, Error, got('an Error', error, label));
    return error as Error;
  }
  throw new Error(expected('an error', label));
}

/** Like thrown(), and the error must be one of kiln's typed errors. */
export function kilnThrown(fn: () => unknown, label?: string): KilnError {
  const error = thrown(fn, label);
  assert.instance(error, KilnError, got('a KilnError', error, label));
  return error as KilnError;
}

const expected = (what: string, label: string | undefined): string => `expected ${what}${label ? ` (${label})` : ''}`;
const got = (what: string, error: unknown, label: string | undefined): string => `${expected(what, label)}, got ${String(error)}`;
