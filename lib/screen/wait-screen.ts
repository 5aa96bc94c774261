// <waitScreen "text">: poll the screen and OCR it until the text shows. A screen that
// has not changed since the last reading is not read again (OCR costs ~0.5 s of CPU).
import { join } from 'node:path';
import { KilnError, throwIfAborted } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import { captureFrame, writePng, type Screen } from './capture.js';
import { diffFrames } from './frame-diff.js';
import type { Frame } from './frame.js';
import { recognizeText, type OcrOptions } from './ocr.js';
import { normaliseText, screenShows } from './text-match.js';

export interface WaitScreenOptions {
  /** Directory for the scratch PPM and PNG. */
  scratchDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between screendumps; default 1 s. */
  pollMs?: number;
  ocr?: OcrOptions;
  /** Replaces tesseract; tests use it. */
  read?: (pngPath: string) => Promise<string>;
}

export interface WaitScreenResult {
  ms: number;
  /** How many times the screen was read. */
  reads: number;
  /** What OCR read on the screen that matched. */
  text: string;
}

export async function waitForScreenText(screen: Screen, wanted: string, options: WaitScreenOptions): Promise<WaitScreenResult> {
  const { signal, timeoutMs, pollMs = 1000 } = options;
  const read = options.read ?? ((png: string) => recognizeText(png, { ...options.ocr, signal }));
  const ppm = join(options.scratchDir, 'wait-screen.ppm');
  const png = join(options.scratchDir, 'wait-screen.png');
  const begin = performance.now();
  let last: { frame: Frame; text: string } | undefined;
  let reads = 0;
  for (;;) {
    throwIfAborted(signal);
    const frame = await captureFrame(screen, ppm);
    if (!last || diffFrames(last.frame, frame).pixels > 0) {
      await writePng(frame, png);
      last = { frame, text: await read(png) };
      reads++;
      if (screenShows(last.text, wanted)) return { ms: performance.now() - begin, reads, text: last.text };
    }
    const elapsed = performance.now() - begin;
    if (elapsed >= timeoutMs) throw timeoutError(wanted, timeoutMs, last?.text ?? '');
    await sleep(Math.min(pollMs, Math.max(timeoutMs - elapsed, 1)), signal);
  }
}

function timeoutError(wanted: string, timeoutMs: number, seen: string): KilnError {
  const shown = normaliseText(seen);
  const excerpt = shown.length > 300 ? `${shown.slice(0, 300)}...` : shown;
  return new KilnError('E_BOOT', `timed out after ${formatDuration(timeoutMs)} waiting for the screen to show ${JSON.stringify(wanted)}; the screen last read: ${excerpt ? JSON.stringify(excerpt) : '(no text)'}`, {
    hint: 'look at failure.png in the output directory: the guest may show other text (OCR misreads are tolerated, wording is not), or be stuck earlier',
  });
}
