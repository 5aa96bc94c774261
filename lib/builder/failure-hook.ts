// What happens between a step failing and the cleanups: while the VM still runs, its
// screen is saved as failure.png, and with --on-error=ask the user decides what next
// (through the CLI's askOnFailure, which can open sessions into the guest).
import { tmpdir } from 'node:os';
import type { GuestAccess } from '../console/guest-shell.js';
import type { FailureDecision } from '../pipeline/step.js';
import type { BuildContext } from './context.js';
import { FAILURE_PNG, hasExited, takeScreenshot } from './screenshots.js';

export interface BuildFailure {
  step: string;
  error: unknown;
  guest: GuestAccess;
}

export type AskOnFailure = (failure: BuildFailure, signal: AbortSignal) => Promise<FailureDecision>;

export async function onStepFailed(
  ctx: BuildContext,
  step: string,
  error: unknown,
  signal: AbortSignal,
  ask?: AskOnFailure,
): Promise<FailureDecision | undefined> {
  const png = await takeScreenshot(ctx, FAILURE_PNG, 'failure');
  if (png) ctx.log.info(`saved the guest's screen at the failure as ${png}`);
  if (ctx.options.onError !== 'ask' || !ask) return undefined;
  try {
    return await ask({ step, error, guest: guestAccess(ctx) }, signal);
  } catch (failure) {
    if (!signal.aborted) ctx.log.warn(`--on-error=ask failed, cleaning up: ${(failure as Error).message}`);
    return undefined;
  }
}

function guestAccess(ctx: BuildContext): GuestAccess {
  const ssh = ctx.template.ssh;
  return {
    name: ctx.template.name,
    running: async () => ctx.vm !== undefined && !(await hasExited(ctx.vm)),
    serialSocket: async () => ctx.vm?.serialSocket(),
    ssh:
      ssh && ctx.vm?.sshPort !== undefined
        ? { host: '127.0.0.1', port: ctx.vm.sshPort, username: ssh.username, password: ssh.password, privateKey: ctx.sshKey?.privateKey }
        : undefined,
    scratchDir: ctx.workDir ?? tmpdir(),
  };
}
