import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const KILN_BIN = `${REPO}bin/kiln.js`;

export interface KilnRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns bin/kiln.js as a user would; `onStderr` sees output as it arrives. */
export function spawnKiln(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; onStderr?: (text: string, child: ChildProcess) => void } = {},
): { child: ChildProcess; done: Promise<KilnRun> } {
  const child = spawn(process.execPath, [KILN_BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, CI: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    options.onStderr?.(stderr, child);
  });
  const done = new Promise<KilnRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runKiln(args: string[], options: Parameters<typeof spawnKiln>[1] = {}): Promise<KilnRun> {
  return spawnKiln(args, options).done;
}
