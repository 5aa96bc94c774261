import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

// Every kiln a test spawns gets a private cache (unless the test passes its own), so no
// test resumes a build from another test's stage cache or the user's. The fixture ISO
// path is worked out in the test process and passed as --var iso=..., so it is unaffected.
const TEST_CACHE_HOME = mkdtempSync(join(tmpdir(), 'kiln-test-cache-'));
process.on('exit', () => rmSync(TEST_CACHE_HOME, { recursive: true, force: true }));
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
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    onStderr?: (text: string, child: ChildProcess) => void;
    /** Sees stdout as it arrives (the --json events). */
    onStdout?: (text: string, child: ChildProcess) => void;
    /** A command kiln runs under, e.g. unshare into a network namespace: it ends by running its arguments. */
    wrap?: string[];
    /** Written to kiln's stdin, which is then closed (--password-stdin); none: no stdin. */
    input?: string;
  } = {},
): { child: ChildProcess; done: Promise<KilnRun> } {
  const command = [...(options.wrap ?? []), process.execPath, KILN_BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, CI: '1', XDG_CACHE_HOME: TEST_CACHE_HOME, ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
    options.onStdout?.(stdout, child);
  });
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
