import { driverFor } from '../hypervisor/drivers.js';
import { CancelledError } from '../errors.js';
import { maskError } from '../log/mask-error.js';
import { Masker } from '../log/mask.js';
import { runSteps } from '../pipeline/runner.js';
import type { StepTiming } from '../pipeline/step.js';
import { proxySecrets } from '../source/proxy-settings.js';
import type { Template } from '../template/types.js';
import { BuildLog } from './build-log.js';
import type { BuildContext, BuildOptions, ExportedFile } from './context.js';
import type { EventSink } from './events.js';
import { onStepFailed, type AskOnFailure } from './failure-hook.js';
import { stepsFor } from './step-lists.js';

export interface BuildHooks {
  /** --on-error=ask: after a failure, with the VM still running, decides what happens next. */
  askOnFailure?: AskOnFailure;
}

export interface BuildResult {
  outputDir: string;
  files: ExportedFile[];
  timings: StepTiming[];
}

/**
 * Runs one build. Everything it says reaches `sink` as masked events (build-log.ts);
 * an error it throws is masked the same way.
 */
export async function runBuild(
  template: Template,
  options: BuildOptions,
  sink: EventSink,
  signal: AbortSignal,
  hooks: BuildHooks = {},
): Promise<BuildResult> {
  // URL credentials are masked anyway; the proxy password is also hidden in its other forms (decoded, base64).
  const masker = new Masker([...template.secrets, ...(options.proxy ? proxySecrets(options.proxy) : [])]);
  const log = new BuildLog(masker, [sink]);
  // ctx.failNow: a failure from outside the running step cancels it and becomes the build's error.
  const failure = new AbortController();
  let failedWith: { error: unknown } | undefined;
  const failNow = (error: unknown) => {
    if (failedWith) return;
    failedWith = { error };
    failure.abort(error);
  };
  const ctx: BuildContext = { template, options, log, emit: (e) => log.emit(e), outputDir: template.output.directory, exports: [], timings: [], failNow };
  try {
    await runSteps(stepsFor(template, options, driverFor(template.hypervisor)), ctx, {
      signal: AbortSignal.any([signal, failure.signal]),
      keepFilesOnError: options.onError === 'abort',
      stepStarted: (step) => log.emit({ type: 'step-started', step }),
      stepFinished: (timing) => {
        ctx.timings.push(timing);
        log.emit({ type: 'step-finished', step: timing.name, status: timing.status, ms: Math.round(timing.ms) });
      },
      stepFailed: (name, error, stepSignal) => onStepFailed(ctx, name, maskError(error, masker), stepSignal, hooks.askOnFailure),
      cleanupFailed: (name, error) => log.warn(`cleanup of ${name} failed: ${error instanceof Error ? error.message : error}`),
    });
    return { outputDir: ctx.outputDir, files: ctx.exports, timings: ctx.timings };
  } catch (thrown) {
    const error = failedWith && thrown instanceof CancelledError && !signal.aborted ? failedWith.error : thrown;
    log.debug(`build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw maskError(error, masker);
  } finally {
    await log.close();
  }
}
