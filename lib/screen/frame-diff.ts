// Has the screen changed? Comparing two screendumps pixel by pixel, then deciding
// whether the change matters: a blinking cursor or a ticking countdown ("booting in
// 5s") touches one or two character cells and does not count as the screen changing.
import type { Frame } from './frame.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FrameDiff {
  /** The two frames differ in size (a video mode switch): always a real change. */
  resized: boolean;
  /** Number of pixels that differ. */
  pixels: number;
  /** The smallest rectangle holding every differing pixel. */
  box?: Box;
}

/** Changes within a box this small are cursor blinks and countdown digits (a text cell is 9x16 px, or 8x16 to 16x32 in graphics modes). */
export const NOISE_BOX = { width: 48, height: 40 };

export function diffFrames(a: Frame, b: Frame): FrameDiff {
  if (a.width !== b.width || a.height !== b.height) return { resized: true, pixels: Math.max(a.width * a.height, b.width * b.height) };
  const stride = a.width * 3;
  let pixels = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < a.height; y++) {
    const start = y * stride;
    // Whole rows are compared natively first; only rows that differ are scanned.
    if (a.rgb.compare(b.rgb, start, start + stride, start, start + stride) === 0) continue;
    for (let x = 0; x < a.width; x++) {
      const o = start + x * 3;
      if (a.rgb[o] === b.rgb[o] && a.rgb[o + 1] === b.rgb[o + 1] && a.rgb[o + 2] === b.rgb[o + 2]) continue;
      pixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  if (pixels === 0) return { resized: false, pixels };
  return { resized: false, pixels, box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } };
}

/** True when the difference is nothing, or only a cursor-sized spot. */
export function isNoise(diff: FrameDiff): boolean {
  if (diff.resized) return false;
  if (!diff.box) return true;
  return diff.box.width <= NOISE_BOX.width && diff.box.height <= NOISE_BOX.height;
}

/**
 * True for screens that show nothing the guest drew: a single colour (the moment
 * between video modes), or QEMU's own 640x480 "Guest has not initialized the
 * display (yet)." placeholder, one short line of text in the middle of black.
 */
export function isBlank(frame: Frame): boolean {
  const { width, height, rgb } = frame;
  const background = rgb.readUIntBE(0, 3);
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      if (rgb.readUIntBE(row + x * 3, 3) !== background) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  if (top < 0) return true;
  const placeholder = width === 640 && height === 480 && background === 0 && bottom - top < 20 && top > 200 && bottom < 280;
  return placeholder;
}
