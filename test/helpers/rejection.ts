import * as assert from 'uvu/assert';
import { KilnError } from '../../lib/errors.js';

/** The error a promise rejects with; the test fails if it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, Error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Like rejection(), and the error must be one of kiln's typed errors. */
export async function kilnRejection(promise: Promise<unknown>): Promise<KilnError> {
  const error = await rejection(promise);
  assert.instance(error, KilnError);
  return error as KilnError;
}
