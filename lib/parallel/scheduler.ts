// Runs several builds at once: at most `parallel` at a time, the rest queued in order.
// Each build gets its own AbortSignal, fired by the caller's (Ctrl-C stops them all) or,
// with failFast, by the first failure; a stopped build still runs its own cleanup
// (the runner's reverse cleanup) before its promise settles, so runQueued returns only
// when every started build has cleaned up.
import { CancelledError } from '../errors.js';

export interface QueuedBuild<T> {
  name: string;
  run(signal: AbortSignal): Promise<T>;
}

export type BuildStatus = 'ok' | 'failed' | 'cancelled' | 'not-started';

export interface BuildOutcome<T> {
  name: string;
  status: BuildStatus;
  /** Wall time from its start to its end (0 when it never started). */
  ms: number;
  result?: T;
  error?: unknown;
}

export interface QueueOptions<T> {
  /** How many builds run at once (at least 1). */
  parallel: number;
  /** The first failure stops the running builds and starts no more. */
  failFast: boolean;
  signal: AbortSignal;
  onStarted?(name: string): void;
  onFinished?(outcome: BuildOutcome<T>): void;
}

/** Runs every build (see the file comment); the outcomes are in the builds' order. */
export async function runQueued<T>(builds: readonly QueuedBuild<T>[], options: QueueOptions<T>): Promise<BuildOutcome<T>[]> {
  const outcomes: BuildOutcome<T>[] = builds.map((b) => ({ name: b.name, status: 'not-started', ms: 0 }));
  const stopAll = new AbortController();
  const stop = () => stopAll.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < builds.length && !stopAll.signal.aborted) {
      const index = next++;
      const build = builds[index]!;
      options.onStarted?.(build.name);
      const outcome = await runOne(build, stopAll.signal);
      outcomes[index] = outcome;
      if (outcome.status === 'failed' && options.failFast) stop();
      options.onFinished?.(outcome);
    }
  };
  try {
    const workers = Math.max(1, Math.min(Math.floor(options.parallel), builds.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal.removeEventListener('abort', stop);
  }
  return outcomes;
}

async function runOne<T>(build: QueuedBuild<T>, stopAll: AbortSignal): Promise<BuildOutcome<T>> {
  // Its own controller: a build's steps may add listeners freely without touching the others'.
  const own = new AbortController();
  const forward = () => own.abort();
  stopAll.addEventListener('abort', forward, { once: true });
  const begin = performance.now();
  try {
    const result = await build.run(own.signal);
    return { name: build.name, status: 'ok', ms: performance.now() - begin, result };
  } catch (error) {
    const cancelled = error instanceof CancelledError || own.signal.aborted;
    return { name: build.name, status: cancelled ? 'cancelled' : 'failed', ms: performance.now() - begin, error };
  } finally {
    stopAll.removeEventListener('abort', forward);
  }
}
