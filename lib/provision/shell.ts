// The shell provisioner: upload a script (inline commands or a local file), run it,
// stream its output, remove it. Script files are uploaded byte for byte; placeholders
// are filled in inline commands and env values only, as in Packer.

import { readFile } from 'node:fs/promises';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import type { Log } from '../log/log.js';
import type { SshSession } from '../ssh/session.js';
import type { ShellProvisioner } from '../template/types.js';
import { formatDuration } from '../util/duration.js';
import { connectionLost, type FailureContext, provisionFailure } from './failure.js';
import { removeScript, uploadScript } from './remote-script.js';
import { inlineScript, scriptCommand } from './shell-command.js';

export interface ShellProvisionerOptions {
  /** Names the step in messages and output, e.g. "provision[1] shell". */
  label: string;
  log: Log;
  signal?: AbortSignal;
  /** Fills build-time placeholders in inline commands and env values. */
  render: (text: string) => string;
  /** When set, sudo runs as `sudo -S` with this on stdin; otherwise `sudo -n`. Never logged. */
  sudoPassword?: string;
}

export interface ShellProvisionerResult {
  /** The connection dropped as expect_disconnect allowed; the build must reconnect. */
  disconnected: boolean;
}

export async function runShellProvisioner(
  session: SshSession,
  p: ShellProvisioner,
  options: ShellProvisionerOptions,
): Promise<ShellProvisionerResult> {
  const { label, log, signal } = options;
  throwIfAborted(signal);
  const script = p.script ?? 'inline script';
  const contents = p.script !== undefined ? await readScript(label, p.script) : inlineScript((p.inline ?? []).map(options.render));
  const env = Object.fromEntries(Object.entries(p.env).map(([name, value]) => [name, options.render(value)]));
  const context: FailureContext = { label, script, sudo: p.sudo, sudoPassword: options.sudoPassword !== undefined };

  const remotePath = await uploadScript(session, contents).catch((error: unknown) => {
    throw new KilnError('E_PROVISION', `${label}: uploading ${script} failed: ${(error as Error).message}`, {
      cause: error,
      hint: (error as KilnError).hint,
    });
  });
  throwIfAborted(signal);

  const names = Object.keys(env);
  log.info(`${label}: running ${script}${p.sudo ? ' with sudo' : ''}${names.length ? ` (env ${names.join(', ')})` : ''}`);
  const started = Date.now();
  const command = scriptCommand({ path: remotePath, env, sudo: p.sudo, sudoPassword: options.sudoPassword });
  const result = await session
    .exec(command.command, {
      env: command.env,
      stdin: command.stdin,
      signal,
      onStdout: (line) => log.output(label, line, 'stdout'),
      onStderr: (line) => log.output(label, line, 'stderr'),
    })
    .catch(async (error: unknown) => {
      if (error instanceof CancelledError) throw error;
      await removeScript(session, remotePath, log, label);
      throw new KilnError('E_PROVISION', `${label}: could not run ${script}: ${(error as Error).message}`, {
        cause: error,
        hint: (error as KilnError).hint,
      });
    });

  // A reboot that kills the script (SIGTERM, or no status at all) is the disconnect the user announced.
  const lost = result.disconnected || (p.expect_disconnect && result.exitCode === null);
  if (lost) {
    if (!p.expect_disconnect) throw connectionLost(context);
    log.info(`${label}: the guest disconnected as expected (expect_disconnect)`);
    return { disconnected: true };
  }
  await removeScript(session, remotePath, log, label);
  if (result.exitCode !== 0) throw provisionFailure(context, result);
  log.info(`${label}: done in ${formatDuration(Date.now() - started)}`);
  return { disconnected: false };
}

async function readScript(label: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new KilnError('E_SOURCE', `${label}: cannot read script ${path}: ${(error as Error).message}`, {
      cause: error,
      hint: 'script paths are relative to the template file',
    });
  }
}
