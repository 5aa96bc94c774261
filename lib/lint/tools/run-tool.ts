// Runs an optional external checker (sh, shellcheck, debconf-set-selections,
// cloud-init). A tool that is not installed is not an error: the pure linters still
// run. Each run has a time limit so a hung tool cannot hold up `kiln validate`.
import { execFile } from 'node:child_process';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

const TIMEOUT_MS = 20_000;

/** Runs `command args`; undefined when the tool is missing, failed to start or timed out. */
export function runTool(command: string, args: string[], options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult | undefined> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: TIMEOUT_MS, maxBuffer: 8 << 20, signal: options.signal, env: options.env ?? process.env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        // A number is the tool's exit status; anything else (ENOENT, a signal, a timeout) means no verdict.
        if (typeof code === 'number') return resolve({ code, stdout, stderr });
        resolve(undefined);
      },
    );
  });
}
