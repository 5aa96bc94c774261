// shell-local, the post-processor and the provisioner: commands run on the host, in the
// template's directory. Inline commands are joined and run by `/bin/sh -c`; scripts are
// run by /bin/sh, one after the other. No shell parses kiln's own arguments (shell: false).
import { KilnError } from '../errors.js';
import { runHostCommand } from '../util/host-command.js';

export interface ShellLocalOptions {
  /** post_process[N] shell-local: names the output lines and the error. */
  label: string;
  inline?: readonly string[];
  /** Absolute script paths. */
  scripts?: readonly string[];
  cwd: string;
  /** Added to kiln's own environment. */
  env: Record<string, string>;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** The error's code: E_POST_PROCESS (the default), or E_PROVISION for the provisioner. */
  errorCode?: 'E_POST_PROCESS' | 'E_PROVISION';
}

export async function runShellLocal(options: ShellLocalOptions): Promise<void> {
  const runs: { what: string; args: string[] }[] = options.inline
    ? [{ what: 'the inline commands', args: ['-c', options.inline.join('\n')] }]
    : (options.scripts ?? []).map((script) => ({ what: script, args: [script] }));
  for (const run of runs) await runOne(options, run.what, run.args);
}

async function runOne(options: ShellLocalOptions, what: string, args: string[]): Promise<void> {
  const result = await runHostCommand('/bin/sh', args, options);
  const hint = 'the commands run on this host in the template directory; run them by hand there to debug';
  if (!result.started) {
    // /bin/sh did not start (a missing working directory, say).
    throw new KilnError(options.errorCode ?? 'E_POST_PROCESS', `${options.label}: could not run ${what}: ${result.message}`, { hint, cause: result.cause });
  }
  if (result.exitCode === 0) return;
  const how = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
  const tail = result.stderrTail;
  throw new KilnError(options.errorCode ?? 'E_POST_PROCESS', `${options.label}: ${what} ${how}${tail ? `:\n${tail}` : ''}`, { hint });
}
