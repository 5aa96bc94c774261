import { CancelledError } from '../errors.js';
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
  /** How long a cancelled step may take to unwind before cleanup starts anyway. */
  abortGraceMs?: number;
  /**
   * Called when a step fails (not when cancelled), before any cleanup, while whatever
   * earlier steps started still runs: the moment to take a screenshot or ask the user.
   * 'retry' runs the failed step again; 'keep-files' cleans up as keepFilesOnError does.
   */
  stepFailed?(name: string, error: unknown, signal: AbortSignal): Promise<FailureDecision | undefined>;
}

export interface RunResult {
  timings: StepTiming[];
}

/**
 * Runs steps in order. On success, failure or cancellation, every started step's
 * cleanup runs in reverse order (a cleanup that throws does not stop the others).
 * Rethrows the first error; a fired signal always surfaces as CancelledError.
 */
export async function runSteps<C>(steps: readonly Step<C>[], ctx: C, options: RunOptions): Promise<RunResult> {
  const { signal } = options;
  const started: Step<C>[] = [];
  const timings: StepTiming[] = [];
  let failure: unknown;
  let decision: FailureDecision | undefined;

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (signal.aborted) {
      failure = new CancelledError();
      break;
    }
    if (step.skip?.(ctx)) {
      timings.push({ name: step.name, ms: 0, status: 'skipped' });
      continue;
    }
    if (!started.includes(step)) started.push(step);
    options.stepStarted?.(step.name);
    const begin = performance.now();
    try {
      await settleOrAbandon(step.run(ctx, signal), signal, options.abortGraceMs ?? 5000);
      const timing: StepTiming = { name: step.name, ms: performance.now() - begin, status: 'ok' };
      timings.push(timing);
      options.stepFinished?.(timing);
    } catch (error) {
      failure = signal.aborted ? new CancelledError() : error;
      const status = failure instanceof CancelledError ? 'cancelled' : 'failed';
      const timing: StepTiming = { name: step.name, ms: performance.now() - begin, status };
      timings.push(timing);
      options.stepFinished?.(timing);
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
  return { timings };
}

/**
 * Settles with the step. Once the signal fires, the step gets a short grace period to
 * notice it and unwind (so cleanups never race a step still creating resources), then
 * the runner moves on to cleanup regardless.
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
