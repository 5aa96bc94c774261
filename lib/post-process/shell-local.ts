// The shell-local post-processor: commands run on the host after the build, in the
// template's directory. Inline commands are joined and run by `/bin/sh -c`; scripts are
// run by /bin/sh, one after the other. No shell parses kiln's own arguments (shell: false).
import { execa } from 'execa';
import { CancelledError, KilnError } from '../errors.js';
import { OutputTail } from '../util/output-tail.js';

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
}

export async function runShellLocal(options: ShellLocalOptions): Promise<void> {
  const runs: { what: string; args: string[] }[] = options.inline
    ? [{ what: 'the inline commands', args: ['-c', options.inline.join('\n')] }]
    : (options.scripts ?? []).map((script) => ({ what: script, args: [script] }));
  for (const run of runs) await runOne(options, run.what, run.args);
}

async function runOne(options: ShellLocalOptions, what: string, args: string[]): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) throw new CancelledError();
  const child = execa('/bin/sh', args, {
    shell: false,
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    reject: false,
    buffer: false,
    cancelSignal: signal,
    // Its own process group, so a cancel reaches what the shell started (a `sleep 60`
    // would otherwise keep the pipes open after the shell is gone).
    detached: true,
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal?.addEventListener('abort', killGroup, { once: true });
  const stderr = new OutputTail(10);
  const stdoutLines = new OutputTail(0);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of stdoutLines.push(chunk)) options.onLine(line, 'stdout');
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of stderr.push(chunk)) options.onLine(line, 'stderr');
  });
  let result;
  try {
    result = await child;
  } finally {
    signal?.removeEventListener('abort', killGroup);
  }
  // A last line without a newline.
  for (const line of stdoutLines.push('\n')) options.onLine(line, 'stdout');
  for (const line of stderr.push('\n')) options.onLine(line, 'stderr');
  if (result.isCanceled || signal?.aborted) throw new CancelledError();
  if (result.exitCode === 0) return;
  const hint = 'the commands run on this host in the template directory; run them by hand there to debug';
  if (result.exitCode === undefined && result.signal === undefined) {
    // /bin/sh did not start (a missing working directory, say).
    throw new KilnError('E_POST_PROCESS', `${options.label}: could not run ${what}: ${result.shortMessage}`, { hint, cause: result.cause });
  }
  const how = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
  const tail = stderr.text();
  throw new KilnError('E_POST_PROCESS', `${options.label}: ${what} ${how}${tail ? `:\n${tail}` : ''}`, { hint });
}
