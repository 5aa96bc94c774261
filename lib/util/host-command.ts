// A command on the host whose output a build streams line by line (shell-local,
// ansible-playbook): no shell parses the arguments, it runs in its own process group so
// a cancel or a timeout reaches what it started, and the end of its stderr is kept for
// the error message.
import { execa } from 'execa';
import { CancelledError } from '../errors.js';
import { OutputTail } from './output-tail.js';

export interface HostCommandOptions {
  cwd: string;
  /** Added to kiln's own environment. */
  env: Record<string, string>;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** Lines of stderr kept for the result (default 10). */
  tailLines?: number;
}

export type HostCommandResult =
  /** It ran and ended: an exit code, or the signal that killed it. */
  | { started: true; exitCode?: number; signal?: string; stderrTail: string }
  /** It never started: a missing program (`missing`), a missing working directory. */
  | { started: false; missing: boolean; message: string; cause: unknown };

/** Runs `file` with `args`; a cancel (the signal) kills the process group and throws CancelledError. */
export async function runHostCommand(file: string, args: readonly string[], options: HostCommandOptions): Promise<HostCommandResult> {
  const { signal } = options;
  if (signal?.aborted) throw new CancelledError();
  const child = execa(file, args, {
    shell: false,
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    reject: false,
    buffer: false,
    cancelSignal: signal,
    // Its own process group, so a cancel reaches what the command started (a `sleep 60`
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
  const stderr = new OutputTail(options.tailLines ?? 10);
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
  if (result.exitCode === undefined && result.signal === undefined) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    const message = result.shortMessage ?? String(result.cause);
    // A missing working directory is also ENOENT; execa then names the cwd option.
    return { started: false, missing: code === 'ENOENT' && !message.includes('"cwd"'), message, cause: result.cause };
  }
  return {
    started: true,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    ...(result.signal !== undefined ? { signal: result.signal } : {}),
    stderrTail: stderr.text(),
  };
}
