// Packer's options around any provisioner's run: pause_before, a timeout for each
// attempt, and max_retries more attempts after a failure. The shell provisioner has its
// own (run-script.ts: its retries need the same connection); every other kind runs here.
import { CancelledError, KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import { formatDuration } from '../util/duration.js';
import type { RunControls } from '../template/types.js';
import { sleep } from '../util/sleep.js';

export interface RunControlOptions {
  label: string;
  log: Log;
  signal?: AbortSignal;
  /** What the timeout message names, e.g. "ansible-playbook". */
  what: string;
  /** False when another attempt cannot work (the connection is gone). */
  canRetry?: () => boolean;
}

/** Runs `attempt` with the signal it must honour (the build's, plus the timeout's). */
export async function withRunControls<T>(controls: RunControls, options: RunControlOptions, attempt: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  const { label, log, signal } = options;
  if (controls.pause_before_ms > 0) {
    log.info(`${label}: waiting ${formatDuration(controls.pause_before_ms)} (pause_before)`);
    await sleep(controls.pause_before_ms, signal);
  }
  for (let n = 1; ; n++) {
    try {
      return await timed(controls, options, attempt);
    } catch (error) {
      if (error instanceof CancelledError || n > controls.max_retries || options.canRetry?.() === false) throw error;
      const first = (error as Error).message.split('\n')[0]!.replace(/:$/, '');
      log.info(`${label}: ${first}; running it again (attempt ${n + 1} of ${controls.max_retries + 1}, max_retries)`);
    }
  }
}

async function timed<T>(controls: RunControls, options: RunControlOptions, attempt: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  const { signal } = options;
  const timeout = controls.timeout_ms !== undefined ? AbortSignal.timeout(controls.timeout_ms) : undefined;
  const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  try {
    return await attempt(signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
  } catch (error) {
    if (error instanceof CancelledError && timeout?.aborted && !signal?.aborted) {
      throw new KilnError('E_PROVISION', `${options.label}: ${options.what} did not finish within ${formatDuration(controls.timeout_ms!)} (timeout)`, {
        hint: 'raise the provisioner\'s timeout, or look at the end of its output in build.log for where it hung',
      });
    }
    throw error;
  }
}
