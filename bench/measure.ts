import { spawn } from 'node:child_process';

export interface Timed {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall time. */
export function timed(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  const begin = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - begin, stdout, stderr }));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Seconds between two PACKER_LOG lines (their timestamps have 1 s resolution). */
export function packerLogSpan(log: string, from: RegExp, to: RegExp): number | undefined {
  const stamp = (re: RegExp) => {
    const line = log.split('\n').find((l) => re.test(l));
    const m = line && /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/.exec(line);
    return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
  };
  const a = stamp(from);
  const b = stamp(to);
  return a !== undefined && b !== undefined ? b - a : undefined;
}

/**
 * timed(), plus the CPU time (user + system) of the command and its children, which a
 * shared machine's load inflates far less than wall time. POSIX sh's `times` reports it.
 */
export async function timedWithCpu(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed & { cpuMs: number }> {
  const script = '"$@"; code=$?; times >&2; exit $code';
  const result = await timed('sh', ['-c', script, 'sh', command, ...args], options);
  const lines = result.stderr.trimEnd().split('\n');
  // The last line of `times`: the children's user and system time, as "0m1.230000s 0m0.040000s".
  const clock = [...(lines.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  if (clock.length !== 2) throw new Error(`no CPU times from sh's times in: ${lines.at(-1)}`);
  return { ...result, stderr: lines.slice(0, -2).join('\n'), cpuMs: clock[0]! + clock[1]! };
}
