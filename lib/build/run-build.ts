import type { Log } from '../pipeline/log.js';
import { runSteps } from '../pipeline/runner.js';
import type { Step, StepTiming } from '../pipeline/step.js';
import { sensitiveValues } from '../template/variables.js';
import type { Template } from '../template/types.js';
import { BuildLog } from './build-log.js';
import type { BuildContext, BuildOptions, ExportedFile } from './context.js';
import { maskEvent, withHttpEvents, type BuildEvent } from './events.js';
import { onStepFailed, type AskOnFailure } from './failure-hook.js';
import { cacheLookup } from './steps/cache-lookup.js';
import { checkpointFinal, checkpointInstall } from './steps/checkpoint.js';
import { createDisk } from './steps/create-disk.js';
import { exportImages } from './steps/export-images.js';
import { fetchSource } from './steps/fetch-source.js';
import { httpServer } from './steps/http-server.js';
import { prepareOutput } from './steps/prepare-output.js';
import { provision } from './steps/provision.js';
import { serialConsole } from './steps/serial-console.js';
import { shrinkDisk } from './steps/shrink-disk.js';
import { shutdown } from './steps/shutdown.js';
import { sshKey } from './steps/ssh-key.js';
import { startVm } from './steps/start-vm.js';
import { typeBootCommand } from './steps/type-boot-command.js';
import { vagrantBox } from './steps/vagrant-box.js';
import { waitSsh } from './steps/wait-ssh.js';
import { unlessFinished, unlessResumed } from './steps/when-cached.js';
import { writeManifest } from './steps/write-manifest.js';

/** The QEMU ISO build, in order. Each step owns what it opens and releases it in cleanup. */
export const QEMU_ISO_STEPS: readonly Step<BuildContext>[] = [
  prepareOutput,
  fetchSource,
  cacheLookup,
  sshKey,
  unlessFinished(httpServer),
  createDisk,
  unlessFinished(startVm),
  unlessFinished(serialConsole),
  unlessResumed(typeBootCommand),
  unlessFinished(waitSsh),
  checkpointInstall,
  unlessFinished(provision),
  unlessFinished(shrinkDisk),
  unlessFinished(shutdown),
  checkpointFinal,
  exportImages,
  vagrantBox,
  writeManifest,
];

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
  const log = new BuildLog(withHttpEvents(sink, () => ctx.http?.requests, emit), sensitiveValues(template));
  const ctx: BuildContext = { template, options, log, emit, outputDir: template.output.directory, exports: [], timings: [] };
  try {
    await runSteps(QEMU_ISO_STEPS, ctx, {
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
