// The shell provisioner: upload a script (inline commands or a local file), run it,
// stream its output, remove it; with Packer's options around that (pause_before/after,
// max_retries, timeout, valid_exit_codes, execute_command, remote_path, skip_clean).
// Script files are uploaded byte for byte; placeholders are filled in inline commands,
// env values and execute_command only, as in Packer.

import { readFile } from 'node:fs/promises';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import type { Log } from '../log/log.js';
import type { SshSession } from '../ssh/session.js';
import type { PlaceholderValues, ShellProvisioner } from '../template/types.js';
import { formatDuration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import { type FailureContext } from './failure.js';
import { runScriptOnce, type PreparedScript } from './run-script.js';
import { inlineScript } from './shell-command.js';

export interface ShellProvisionerOptions {
  /** Names the step in messages and output, e.g. "provision[1] shell". */
  label: string;
  log: Log;
  signal?: AbortSignal;
  /** Fills build-time placeholders in inline commands, env values and execute_command (with {{ .Vars }}/{{ .Path }}). */
  render: (text: string, extra?: Partial<PlaceholderValues>) => string;
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
  const prepared = await prepareScript(p, options);
  await pause(p.pause_before_ms, 'pause_before', options);
  let result: ShellProvisionerResult;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await runScriptOnce(session, p, prepared, options);
      break;
    } catch (error) {
      // A retry needs the same connection: after a lost one the build reconnects first.
      if (error instanceof CancelledError || attempt > p.max_retries || session.closed) throw error;
      log.info(`${label}: ${(error as Error).message.split('\n')[0]}; running it again (attempt ${attempt + 1} of ${p.max_retries + 1}, max_retries)`);
    }
  }
  await pause(p.pause_after_ms, 'pause_after', options);
  return result;
}

async function prepareScript(p: ShellProvisioner, options: ShellProvisionerOptions): Promise<PreparedScript> {
  const name = p.script ?? 'inline script';
  const contents = p.script !== undefined ? await readScript(options.label, p.script) : inlineScript((p.inline ?? []).map((line) => options.render(line)), p.inline_shebang);
  const env = Object.fromEntries(Object.entries(p.env).map(([key, value]) => [key, options.render(value)]));
  const sudo = p.execute_command !== undefined ? /\bsudo\b/.test(p.execute_command) : p.sudo;
  const context: FailureContext = { label: options.label, script: name, sudo, sudoPassword: options.sudoPassword !== undefined };
  return { name, contents, env, context };
}

async function pause(ms: number, key: string, { label, log, signal }: ShellProvisionerOptions): Promise<void> {
  if (ms <= 0) return;
  log.info(`${label}: waiting ${formatDuration(ms)} (${key})`);
  await sleep(ms, signal);
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
