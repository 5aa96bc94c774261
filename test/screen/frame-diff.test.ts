import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffFrames, isBlank, isNoise } from '../../lib/screen/frame-diff.js';
import { fillRect, solidFrame, textScreen } from './frames.js';

test('diffFrames counts differing pixels and boxes them', () => {
  const a = solidFrame(20, 10);
  assert.equal(diffFrames(a, solidFrame(20, 10)), { resized: false, pixels: 0 });
  const b = fillRect(a, 3, 2, 4, 5, 0xffffff);
  assert.equal(diffFrames(a, b), { resized: false, pixels: 20, box: { x: 3, y: 2, width: 4, height: 5 } });
  const c = fillRect(fillRect(a, 0, 0, 1, 1, 1), 19, 9, 1, 1, 1);
  assert.equal(diffFrames(a, c).box, { x: 0, y: 0, width: 20, height: 10 });
  assert.is(diffFrames(a, solidFrame(10, 10)).resized, true);
});

test('isNoise: a cursor blink or a countdown digit is noise; a new line of text is not', () => {
  const screen = textScreen(3);
  const table: [string, ReturnType<typeof diffFrames>, boolean][] = [
    ['nothing', diffFrames(screen, screen), true],
    ['text-mode cursor (9x2)', diffFrames(screen, fillRect(screen, 54, 189, 9, 2, 0xaaaaaa)), true],
    ['countdown "10" -> " 9"', diffFrames(screen, fillRect(screen, 300, 100, 18, 16, 0xffffff)), true],
    ['a new line of text', diffFrames(screen, fillRect(screen, 9, 100, 360, 12, 0xaaaaaa)), false],
    ['a cleared screen', diffFrames(screen, solidFrame(720, 400)), false],
    ['a mode switch', diffFrames(screen, textScreen(3, 1024, 768)), false],
  ];
  for (const [name, diff, want] of table) assert.is(isNoise(diff), want, name);
});

test("isBlank: one colour, and QEMU's 'not initialized' placeholder, are blank; text screens are not", () => {
  const placeholder = fillRect(solidFrame(640, 480), 144, 226, 352, 12, 0xaaaaaa);
  const table: [string, ReturnType<typeof solidFrame>, boolean][] = [
    ['black', solidFrame(720, 400), true],
    ['blue', solidFrame(800, 600, 0x0000aa), true],
    ['placeholder', placeholder, true],
    ['one line at the top of 640x480', fillRect(solidFrame(640, 480), 0, 0, 300, 12, 0xaaaaaa), false],
    ['text screen', textScreen(5), false],
    ['two lines in the middle of 640x480', fillRect(placeholder, 144, 250, 352, 12, 0xaaaaaa), false],
  ];
  for (const [name, frame, want] of table) assert.is(isBlank(frame), want, name);
});

test.run();
