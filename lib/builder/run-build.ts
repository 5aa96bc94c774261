import type { Log } from '../log/log.js';
import { runSteps } from '../pipeline/runner.js';
import type { StepTiming } from '../pipeline/step.js';
import { sensitiveValues } from '../template/variables.js';
import type { Template } from '../template/types.js';
import { BuildLog } from './build-log.js';
import type { BuildContext, BuildOptions, ExportedFile } from './context.js';
import { maskEvent, type BuildEvent } from './events.js';
import { onStepFailed, type AskOnFailure } from './failure-hook.js';
import { driverFor } from '../hypervisor/drivers.js';
import { stepsFor } from './step-lists.js';

export interface BuildHooks {
  stepStarted?(name: string): void;
  stepFinished?(timing: StepTiming): void;
  /** Structured progress (events.ts), sensitive values masked: --json, --console. */
  event?(event: BuildEvent): void;
  /** --on-error=ask: after a failure, with the VM still running, decides what happens next. */
  askOnFailure?: AskOnFailure;
}

export interface BuildResult {
  outputDir: string;
  files: ExportedFile[];
  timings: StepTiming[];
}

export async function runBuild(
  template: Template,
  options: BuildOptions,
  sink: Log,
  signal: AbortSignal,
  hooks: BuildHooks = {},
): Promise<BuildResult> {
  const emit = (event: BuildEvent) => hooks.event?.(maskEvent(event, (text) => log.mask(text)));
  const log = new BuildLog(sink, sensitiveValues(template));
  const ctx: BuildContext = { template, options, log, emit, outputDir: template.output.directory, exports: [], timings: [] };
  try {
    await runSteps(stepsFor(template, options, driverFor(template.hypervisor)), ctx, {
      signal,
      keepFilesOnError: options.onError === 'abort',
      stepStarted: (name) => {
        log.debug(`step ${name} started`);
        hooks.stepStarted?.(name);
      },
      stepFinished: (timing) => {
        ctx.timings.push(timing);
        log.debug(`step ${timing.name} ${timing.status} in ${Math.round(timing.ms)}ms`);
        hooks.stepFinished?.(timing);
      },
      stepFailed: (name, error, stepSignal) => onStepFailed(ctx, name, error, stepSignal, hooks.askOnFailure),
      cleanupFailed: (name, error) => log.warn(`cleanup of ${name} failed: ${error instanceof Error ? error.message : error}`),
    });
    return { outputDir: ctx.outputDir, files: ctx.exports, timings: ctx.timings };
  } catch (error) {
    log.debug(`build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw error;
  } finally {
    await log.close();
  }
}
