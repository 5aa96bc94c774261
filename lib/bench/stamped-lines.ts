// Lines with the host time they arrived, in ms since one origin (the start of the
// build being measured): the clock both a tool's own output and the guest's serial
// console are read on, so their phases line up. Serial logs carry no times of their
// own (QEMU writes bytes as the guest sends them), so a follower stamps each line
// when it is read, every POLL_MS: that is the resolution of every guest phase.
import type { Readable } from 'node:stream';
import { FileFollower } from '../console/file-follower.js';

export interface StampedLine {
  /** ms since the origin. */
  ms: number;
  text: string;
}

const POLL_MS = 50;

/** Follows a file another process writes (a serial log) until stop(). */
export function followStamped(path: string, origin: number): { stop(): Promise<StampedLine[]> } {
  const lines: StampedLine[] = [];
  const follower = new FileFollower(path, (text) => lines.push({ ms: performance.now() - origin, text: clean(text) }), { pollMs: POLL_MS });
  follower.start();
  return {
    async stop() {
      await follower.stop();
      return lines;
    },
  };
}

/** Stamps each line of a child's output as it arrives (and tells `onLine`). */
export function stampStream(stream: Readable, origin: number, into: StampedLine[], onLine?: (text: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    const ms = performance.now() - origin;
    for (const text of parts) take(ms, text);
  });
  stream.on('end', () => {
    if (partial) take(performance.now() - origin, partial);
  });
  const take = (ms: number, text: string) => {
    into.push({ ms, text: clean(text) });
    onLine?.(text);
  };
}

/** The side file's form: "12.345 text" per line, seconds with ms. */
export function formatStamped(lines: StampedLine[]): string {
  return lines.map((l) => `${(l.ms / 1000).toFixed(3)} ${l.text}\n`).join('');
}

export function parseStamped(text: string): StampedLine[] {
  return text
    .split('\n')
    .map((line) => /^(\d+(?:\.\d+)?) (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ms: Math.round(Number(m[1]) * 1000), text: m[2]! }));
}

// Serial consoles end lines with \r\n and colour them with escape sequences.
const clean = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
