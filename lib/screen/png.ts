// Screenshots are saved as PNG (viewable anywhere, ~20x smaller than QEMU's PPM).
// pngjs does the encoding; kiln only hands it RGB rows.
import { PNG } from 'pngjs';
import type { Frame } from './frame.js';

export function encodePng(frame: Frame): Buffer {
  const png = new PNG({ width: frame.width, height: frame.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = frame.rgb;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Decodes a PNG back to RGB; used to check saved screenshots. */
export function decodePng(data: Buffer): Frame {
  const png = PNG.sync.read(data);
  const rgb = Buffer.alloc(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) png.data.copy(rgb, p * 3, p * 4, p * 4 + 3);
  return { width: png.width, height: png.height, rgb };
}
