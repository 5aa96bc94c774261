// One run of a shell provisioner's script: upload, start (retried while the guest does
// not take commands yet, up to start_retry_timeout), wait with the provisioner's
// timeout, judge the exit code against valid_exit_codes, clean up unless skip_clean.
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import type { SshSession } from '../ssh/session.js';
import type { ExecResult } from '../ssh/exec.js';
import type { ShellProvisioner } from '../template/types.js';
import { formatDuration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import { connectionLost, provisionFailure, type FailureContext } from './failure.js';
import { remoteScriptPath, removeScript, uploadScript } from './remote-script.js';
import { executeCommand, scriptCommand, type ScriptCommand } from './shell-command.js';
import type { ShellProvisionerOptions, ShellProvisionerResult } from './shell.js';

export interface PreparedScript {
  /** "inline script" or the local script path, for messages. */
  name: string;
  contents: string | Buffer;
  /** Rendered env values. */
  env: Record<string, string>;
  context: FailureContext;
}

/** Pause between attempts to start a command the guest refused. */
const START_RETRY_PAUSE_MS = 2000;

export async function runScriptOnce(
  session: SshSession,
  p: ShellProvisioner,
  script: PreparedScript,
  options: ShellProvisionerOptions,
): Promise<ShellProvisionerResult> {
  const { label, log, signal } = options;
  const remotePath = p.remote_path ?? remoteScriptPath(p.remote_folder);
  const command = p.execute_command !== undefined
    ? executeCommand(p.execute_command, { path: remotePath, env: script.env, render: options.render })
    : scriptCommand({ path: remotePath, env: script.env, sudo: p.sudo, sudoPassword: options.sudoPassword });
  const names = Object.keys(script.env);
  const how = p.execute_command !== undefined ? ' with execute_command' : p.sudo ? ' with sudo' : '';
  log.info(`${label}: running ${script.name}${how}${names.length ? ` (env ${names.join(', ')})` : ''}`);
  const started = Date.now();
  const result = await startWithRetries(session, p, script, remotePath, command, options);

  // A reboot that kills the script (SIGTERM, or no status at all) is the disconnect the user announced.
  const lost = result.disconnected || (p.expect_disconnect && result.exitCode === null);
  if (lost) {
    if (!p.expect_disconnect) throw connectionLost(script.context);
    log.info(`${label}: the guest disconnected as expected (expect_disconnect)`);
    return { disconnected: true };
  }
  if (!p.skip_clean) await removeScript(session, remotePath, log, label);
  if (result.exitCode === null || !p.valid_exit_codes.includes(result.exitCode)) throw provisionFailure(script.context, result);
  const code = result.exitCode !== 0 ? ` (exit code ${result.exitCode}, in valid_exit_codes)` : '';
  log.info(`${label}: done in ${formatDuration(Date.now() - started)}${code}`);
  throwIfAborted(signal);
  return { disconnected: false };
}

async function startWithRetries(
  session: SshSession,
  p: ShellProvisioner,
  script: PreparedScript,
  remotePath: string,
  command: ScriptCommand,
  options: ShellProvisionerOptions,
): Promise<ExecResult> {
  const { label, log, signal } = options;
  const deadline = Date.now() + p.start_retry_timeout_ms;
  for (;;) {
    try {
      await uploadScript(session, script.contents, remotePath).catch((error: unknown) => {
        throw new KilnError('E_PROVISION', `${label}: uploading ${script.name} to ${remotePath} failed: ${(error as Error).message}`, {
          cause: error,
          hint: (error as KilnError).hint ?? 'check that remote_folder/remote_path is a writable folder in the guest',
        });
      });
      throwIfAborted(signal);
      return await execWithTimeout(session, p, script, command, options);
    } catch (error) {
      const retry = isStartFailure(error) && !session.closed && Date.now() < deadline;
      if (!retry) throw await asProvisionError(error, session, remotePath, script, options);
      log.info(`${label}: the guest did not take the command yet (${(error as Error).message}); trying again (start_retry_timeout)`);
      await sleep(START_RETRY_PAUSE_MS, signal);
    }
  }
}

/** Cancellation and provisioner errors as they are; anything else (the SSH layer's) named as this provisioner's. */
async function asProvisionError(error: unknown, session: SshSession, remotePath: string, script: PreparedScript, { label, log }: ShellProvisionerOptions): Promise<unknown> {
  if (error instanceof CancelledError || (error instanceof KilnError && error.code === 'E_PROVISION')) return error;
  await removeScript(session, remotePath, log, label);
  return new KilnError('E_PROVISION', `${label}: could not run ${script.name}: ${(error as Error).message}`, { cause: error, hint: (error as KilnError).hint });
}

async function execWithTimeout(session: SshSession, p: ShellProvisioner, script: PreparedScript, command: ScriptCommand, options: ShellProvisionerOptions): Promise<ExecResult> {
  const { label, log, signal } = options;
  const timeout = p.timeout_ms !== undefined ? AbortSignal.timeout(p.timeout_ms) : undefined;
  const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  try {
    return await session.exec(command.command, {
      env: command.env,
      stdin: command.stdin,
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      onStdout: (line) => log.output(label, line, 'stdout'),
      onStderr: (line) => log.output(label, line, 'stderr'),
    });
  } catch (error) {
    if (error instanceof CancelledError && timeout?.aborted && !signal?.aborted) {
      throw new KilnError('E_PROVISION', `${label}: ${script.name} did not finish within ${formatDuration(p.timeout_ms!)} (timeout)`, {
        hint: 'raise the provisioner\'s timeout, or look at the end of its output in build.log for where it hung',
      });
    }
    throw error;
  }
}

/** The command never started (the channel was refused): worth another try; anything else is final. */
const isStartFailure = (error: unknown): boolean => error instanceof KilnError && error.code === 'E_SSH' && /could not start a command/.test(error.message);
