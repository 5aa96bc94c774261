import { CancelledError } from '../errors.js';
import { setLongTimeout } from './sleep.js';

/**
 * True when `promise` settles within timeoutMs, false when the time runs out first;
 * throws CancelledError as soon as the signal fires. Timers and listeners are released.
 */
export async function settledWithin(promise: Promise<unknown>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) throw new CancelledError();
  let cancelTimer: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (cancelTimer = setLongTimeout(() => resolve(false), timeoutMs))),
      new Promise<boolean>((_, reject) => {
        onAbort = () => reject(new CancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    cancelTimer?.();
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
