// `boot.wait: auto`: poll the screen until it stops changing, within bounds.
import { throwIfAborted } from '../errors.js';
import { sleep } from '../util/sleep.js';
import { captureFrame, type Screen } from './capture.js';
import { ScreenSettler } from './settle.js';

export interface SettledOptions {
  scratchPpm: string;
  signal?: AbortSignal;
  /** The screen must stay the same this long; default 3 s. */
  settleMs?: number;
  /** Give up waiting (and start typing anyway) after this long; default 2 min. */
  maxMs?: number;
  /** Between screendumps; default 200 ms. */
  pollMs?: number;
}

export const AUTO_WAIT = { settleMs: 3000, maxMs: 120_000, pollMs: 200 } as const;

export interface SettledResult {
  /** How long the wait took. */
  ms: number;
  /** False when maxMs passed first. */
  settled: boolean;
  /** Captures taken. */
  frames: number;
}

export async function waitForSettledScreen(screen: Screen, options: SettledOptions): Promise<SettledResult> {
  const { settleMs = AUTO_WAIT.settleMs, maxMs = AUTO_WAIT.maxMs, pollMs = AUTO_WAIT.pollMs, signal } = options;
  const settler = new ScreenSettler({ settleMs });
  const begin = performance.now();
  let frames = 0;
  for (;;) {
    throwIfAborted(signal);
    const frame = await captureFrame(screen, options.scratchPpm);
    frames++;
    const now = performance.now();
    if (settler.observe(frame, now)) return { ms: now - begin, settled: true, frames };
    if (now - begin >= maxMs) return { ms: now - begin, settled: false, frames };
    await sleep(pollMs, signal);
  }
}
