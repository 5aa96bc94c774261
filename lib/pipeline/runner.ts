import { CancelledError } from '../errors.js';
import { settledWithin } from '../util/settled-within.js';
import type { CleanupInfo, FailureDecision, Step, StepTiming } from './step.js';

export interface RunnerEvents {
  stepStarted?(name: string): void;
  stepFinished?(timing: StepTiming): void;
  /** A cleanup failed; the build's own error (if any) still wins. */
  cleanupFailed?(name: string, error: unknown): void;
}

export interface RunOptions extends RunnerEvents {
  signal: AbortSignal;
  keepFilesOnError?: boolean;
  /** How long a cancelled step may take to unwind before the build reports it cancelled. */
  abortGraceMs?: number;
  /**
   * How much longer cleanup waits for such a step before it runs anyway: a step still
   * creating something (a VM through a slow VBoxManage) must finish, so its cleanup sees it.
   */
  abandonedWaitMs?: number;
  /**
   * Called when a step fails (not when cancelled), before any cleanup, while whatever
   * earlier steps started still runs: the moment to take a screenshot or ask the user.
   * 'retry' runs the failed step again; 'keep-files' cleans up as keepFilesOnError does.
   */
  stepFailed?(name: string, error: unknown, signal: AbortSignal): Promise<FailureDecision | undefined>;
}

/**
 * Runs steps in order. On success, failure or cancellation, every started step's
 * cleanup runs in reverse order (a cleanup that throws does not stop the others).
 * Rethrows the first error; a fired signal always surfaces as CancelledError.
 */
export async function runSteps<C>(steps: readonly Step<C>[], ctx: C, options: RunOptions): Promise<void> {
  const { signal } = options;
  const started: Step<C>[] = [];
  let abandoned: Promise<unknown> | undefined;
  let failure: unknown;
  let decision: FailureDecision | undefined;

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (signal.aborted) {
      failure = new CancelledError();
      break;
    }
    if (step.skip?.(ctx)) {
      options.stepFinished?.({ name: step.name, ms: 0, status: 'skipped' });
      continue;
    }
    if (!started.includes(step)) started.push(step);
    options.stepStarted?.(step.name);
    const begin = performance.now();
    const running = step.run(ctx, signal);
    try {
      await settleOrAbandon(running, signal, options.abortGraceMs ?? 5000);
      options.stepFinished?.({ name: step.name, ms: performance.now() - begin, status: 'ok' });
    } catch (error) {
      failure = signal.aborted ? new CancelledError() : error;
      const status = failure instanceof CancelledError ? 'cancelled' : 'failed';
      options.stepFinished?.({ name: step.name, ms: performance.now() - begin, status });
      if (status === 'cancelled') abandoned = running;
      if (status === 'failed' && options.stepFailed) {
        decision = await options.stepFailed(step.name, failure, signal).catch(() => undefined);
        if (signal.aborted) failure = new CancelledError();
        else if (decision === 'retry') {
          failure = undefined;
          i--;
          continue;
        }
      }
      break;
    }
  }

  const info: CleanupInfo = {
    failed: failure !== undefined,
    cancelled: failure instanceof CancelledError,
    keepFiles: failure !== undefined && (options.keepFilesOnError === true || decision === 'keep-files'),
  };
  // The step cut short by Ctrl-C may still be creating what its cleanup must remove.
  if (abandoned) await settledWithin(abandoned, options.abandonedWaitMs ?? 15_000);
  for (const step of started.reverse()) {
    if (!step.cleanup) continue;
    try {
      await step.cleanup(ctx, info);
    } catch (error) {
      options.cleanupFailed?.(step.name, error);
    }
  }

  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
}

/**
 * Settles with the step. Once the signal fires, the step gets a short grace period to
 * notice it and unwind; after that the step counts as cancelled (runSteps then gives it
 * a little longer before cleanup, see abandonedWaitMs).
 */
function settleOrAbandon<T>(promise: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  promise.catch(() => {}); // an abandoned step may reject later; that is expected
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(new CancelledError()), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    };
    promise.then(
      (v) => (done(), resolve(v)),
      (e) => (done(), reject(e)),
    );
  });
}
