// A screen image as kiln handles it: 8-bit RGB, row by row. QEMU's screendump writes
// binary PPM (P6), which every QEMU version supports and which needs no decoding.
import { KilnError } from '../errors.js';

export interface Frame {
  width: number;
  height: number;
  /** width * height * 3 bytes, top row first. */
  rgb: Buffer;
}

/** Parses a binary PPM (P6, maxval < 256), the format of QMP `screendump`. */
export function parsePpm(data: Buffer): Frame {
  const fields: number[] = [];
  let i = 2;
  if (data.toString('latin1', 0, 2) !== 'P6') throw badPpm('it does not start with P6');
  // Three numbers (width, height, maxval), separated by whitespace and # comments,
  // then exactly one whitespace byte before the pixels.
  while (fields.length < 3) {
    const c = data[i];
    if (c === undefined) throw badPpm('the header is cut short');
    if (c === 0x23) {
      while (i < data.length && data[i] !== 0x0a) i++;
    } else if (isSpace(c)) {
      i++;
    } else if (c >= 0x30 && c <= 0x39) {
      let n = 0;
      while (i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39) n = n * 10 + (data[i++]! - 0x30);
      fields.push(n);
    } else {
      throw badPpm(`unexpected byte 0x${c.toString(16)} in the header`);
    }
  }
  if (!isSpace(data[i] ?? -1)) throw badPpm('no whitespace after the header');
  const [width, height, maxval] = fields as [number, number, number];
  if (maxval <= 0 || maxval > 255) throw badPpm(`maxval ${maxval} is not 1..255`);
  if (width <= 0 || height <= 0) throw badPpm(`size ${width}x${height} is empty`);
  const start = i + 1;
  const bytes = width * height * 3;
  if (data.length - start < bytes) throw badPpm(`${bytes} pixel bytes expected, ${data.length - start} found`);
  let rgb = data.subarray(start, start + bytes);
  if (maxval !== 255) rgb = Buffer.from(rgb.map((v) => Math.round((v * 255) / maxval)));
  return { width, height, rgb };
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function badPpm(why: string): KilnError {
  return new KilnError('E_QMP', `QEMU's screendump is not a readable PPM image: ${why}`, {
    hint: 'this is a bug in kiln or QEMU; the build log has the QEMU version',
  });
}
