import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Frame } from '../../lib/screen/frame.js';
import { ScreenSettler } from '../../lib/screen/settle.js';
import { fillRect, solidFrame, textScreen } from './frames.js';

const blank = solidFrame(720, 400);
const bios = textScreen(4);
const prompt = textScreen(10);
const promptCursor = fillRect(prompt, 54, 189, 9, 2, 0xaaaaaa);

/** Feeds (ms, frame) pairs; returns the time of the first "settled", or undefined. */
function settleTime(settleMs: number, frames: [number, Frame][]): number | undefined {
  const settler = new ScreenSettler({ settleMs });
  for (const [t, frame] of frames) if (settler.observe(frame, t)) return t;
  return undefined;
}

test('settles once the picture has been still for settleMs, cursor blinks included', () => {
  const table: [string, [number, Frame][], number | undefined][] = [
    ['still prompt from the start', [[0, prompt], [1000, prompt], [2000, prompt], [3000, prompt]], 3000],
    ['bios then prompt', [[0, bios], [500, bios], [1000, prompt], [2000, prompt], [3500, prompt], [4000, prompt]], 4000],
    ['blinking cursor is still', [[0, prompt], [1000, promptCursor], [2000, prompt], [3000, promptCursor]], 3000],
    ['blank screens never settle', [[0, blank], [2000, blank], [4000, blank], [9000, blank]], undefined],
    ['blank resets the clock', [[0, bios], [2000, bios], [2500, blank], [3000, prompt], [5000, prompt], [6000, prompt]], 6000],
    ['never still long enough', [[0, bios], [1000, prompt], [2000, bios], [3000, prompt], [4000, bios]], undefined],
  ];
  for (const [name, frames, want] of table) assert.is(settleTime(3000, frames), want, name);
});

test('text drawn a little at a time is change, though each step is small', () => {
  let frame = textScreen(2);
  const frames: [number, Frame][] = [];
  // One 9x16 cell more every 500 ms: each step looks like a cursor, together they are a line.
  for (let i = 0; i < 12; i++) {
    frame = fillRect(frame, 9 * i, 100, 9, 16, 0xaaaaaa);
    frames.push([i * 500, frame]);
  }
  assert.is(settleTime(3000, frames), undefined);
});

test.run();
