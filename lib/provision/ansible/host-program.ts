// Running one of Ansible's programs on the host, with its output streamed into the log
// under the step's label; a program that is not installed is named with its package.
import { KilnError } from '../../errors.js';
import type { Log } from '../../log/log.js';
import { runHostCommand, type HostCommandResult } from '../../util/host-command.js';

export interface HostProgramOptions {
  label: string;
  log: Log;
  cwd: string;
  env: Record<string, string>;
  signal?: AbortSignal;
  /** Sees every output line (after the log): the failure watcher. */
  onLine?: (line: string) => void;
}

export const INSTALL_ANSIBLE_HINT =
  'install Ansible on this host (Debian/Ubuntu: apt-get install ansible-core; Fedora: dnf install ansible-core; or pip install ansible-core), or set command: to the program\'s path';

/** Runs `program`; one that never started is an E_PROVISION error here, an exit status is the caller's to judge. */
export async function runHostProgram(program: string, args: readonly string[], options: HostProgramOptions): Promise<Extract<HostCommandResult, { started: true }>> {
  const { label, log } = options;
  const result = await runHostCommand(program, args, {
    cwd: options.cwd,
    env: options.env,
    signal: options.signal,
    tailLines: 20,
    onLine: (line, stream) => {
      log.output(label, line, stream);
      options.onLine?.(line);
    },
  });
  if (result.started) return result;
  if (result.missing) {
    throw new KilnError('E_PROVISION', `${label}: ${program} was not found on this host (PATH)`, { hint: INSTALL_ANSIBLE_HINT, cause: result.cause });
  }
  throw new KilnError('E_PROVISION', `${label}: could not run ${program}: ${result.message}`, { cause: result.cause, hint: 'check that the playbook\'s folder exists and is readable' });
}

/** "exited with code 2", "was killed by SIGTERM". */
export function describeExit(result: { exitCode?: number; signal?: string }): string {
  return result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
}
