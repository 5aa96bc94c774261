// Runs bin/kiln.js in a pseudo-terminal, as a user at a terminal would: the tests type
// into it and wait for what it prints (both streams arrive together, as on a screen).
import pty from 'node-pty';
import { setTimeout as delay } from 'node:timers/promises';
import { KILN_BIN, REPO } from '../helpers/run-kiln.js';

export interface PtyKiln {
  /** Everything printed so far, escape sequences removed. */
  text(): string;
  /** Everything printed after `mark()` was last called. */
  sinceMark(): string;
  mark(): void;
  write(data: string): void;
  /** Resolves when the output since the mark matches; fails with the output after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(): void;
}

export function ptyKiln(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): PtyKiln {
  const child = pty.spawn(process.execPath, [KILN_BIN, ...args], {
    name: 'xterm',
    cols: 160,
    rows: 50,
    cwd: options.cwd ?? REPO,
    env: { ...process.env, CI: '1', ...options.env } as Record<string, string>,
  });
  let text = '';
  let markAt = 0;
  child.onData((d) => (text += d.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')));
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => child.onExit(resolve));
  let done = false;
  void exited.then(() => (done = true));
  return {
    text: () => text,
    sinceMark: () => text.slice(markAt),
    mark: () => void (markAt = text.length),
    write: (data) => child.write(data),
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = text.slice(markAt).match(pattern);
        if (m) return m;
        if (Date.now() > deadline || done) {
          if (done) await delay(100); // late output
          const again = text.slice(markAt).match(pattern);
          if (again) return again;
          throw new Error(`${done ? 'kiln exited' : 'timed out'} waiting for ${pattern}; output:\n${text.slice(-6000)}`);
        }
        await delay(50);
      }
    },
    exited,
    kill: () => {
      if (!done) child.kill('SIGKILL');
    },
  };
}
