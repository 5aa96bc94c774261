// Synthetic screens for the screen tests: a background with rectangles drawn on it.
import type { Frame } from '../../lib/screen/frame.js';

export function solidFrame(width: number, height: number, colour = 0): Frame {
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb.writeUIntBE(colour, p * 3, 3);
  return { width, height, rgb };
}

/** A copy of `frame` with the rectangle (x, y, w, h) filled with `colour`. */
export function fillRect(frame: Frame, x: number, y: number, w: number, h: number, colour: number): Frame {
  const rgb = Buffer.from(frame.rgb);
  for (let row = y; row < Math.min(y + h, frame.height); row++) {
    for (let col = x; col < Math.min(x + w, frame.width); col++) rgb.writeUIntBE(colour, (row * frame.width + col) * 3, 3);
  }
  return { ...frame, rgb };
}

/** A text-mode-like screen: lines of "text" blocks on black. */
export function textScreen(lines: number, width = 720, height = 400): Frame {
  let frame = solidFrame(width, height, 0x000000);
  for (let l = 0; l < lines; l++) frame = fillRect(frame, 9, 16 * l + 2, 9 * 40, 12, 0xaaaaaa);
  return frame;
}
