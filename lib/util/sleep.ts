import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from '../errors.js';

/** Node's timers take at most 2^31-1 ms; a longer delay fires after 1 ms with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits ms, or rejects with CancelledError as soon as the signal fires. Any length is
 * safe: long waits run as a chain of timers (Infinity waits for the signal), and a
 * negative or NaN ms waits no time.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let left = ms > 0 ? ms : 0;
  try {
    do {
      const step = Math.min(left, MAX_TIMER_MS);
      await delay(step, undefined, { signal });
      left -= step;
    } while (left > 0);
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  }
}

/** setTimeout for any delay (chained past MAX_TIMER_MS); returns the function that cancels it. */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout;
  let left = ms > 0 ? ms : 0;
  const arm = () => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    timer = setTimeout(left > 0 ? arm : callback, step);
  };
  arm();
  return () => clearTimeout(timer);
}
