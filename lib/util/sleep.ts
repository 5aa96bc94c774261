import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from '../errors.js';

/** Waits ms, or rejects with CancelledError as soon as the signal fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  }
}
