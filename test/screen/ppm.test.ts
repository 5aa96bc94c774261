import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePpm } from '../../lib/screen/frame.js';
import { decodePng, encodePng } from '../../lib/screen/png.js';
import { kilnThrown } from '../helpers/rejection.js';

const ppm = (header: string, pixels: number[]) => Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(pixels)]);

test('parsePpm reads QEMU screendump headers and pixels', () => {
  const table: [string, Buffer, { width: number; height: number; rgb: number[] }][] = [
    ['QEMU style', ppm('P6\n2 1\n255\n', [1, 2, 3, 4, 5, 6]), { width: 2, height: 1, rgb: [1, 2, 3, 4, 5, 6] }],
    ['comments and spaces', ppm('P6 # made by hand\n1\t1 # size\n255\n', [9, 8, 7]), { width: 1, height: 1, rgb: [9, 8, 7] }],
    ['maxval 15 is scaled to 255', ppm('P6\n1 1\n15\n', [15, 0, 5]), { width: 1, height: 1, rgb: [255, 0, 85] }],
    ['trailing bytes are ignored', ppm('P6\n1 1\n255\n', [1, 2, 3, 99]), { width: 1, height: 1, rgb: [1, 2, 3] }],
  ];
  for (const [name, data, want] of table) {
    const frame = parsePpm(data);
    assert.equal({ width: frame.width, height: frame.height, rgb: [...frame.rgb] }, want, name);
  }
});

test('parsePpm rejects what is not a P6 image, saying why', () => {
  const table: [Buffer, RegExp][] = [
    [ppm('P3\n1 1\n255\n', [1, 2, 3]), /does not start with P6/],
    [ppm('P6\n1 1', []), /cut short/],
    [ppm('P6\n2 2\n255\n', [1, 2, 3]), /12 pixel bytes expected, 3 found/],
    [ppm('P6\n1 1\n65535\n', [0, 0, 0, 0, 0, 0]), /maxval 65535/],
    [ppm('P6\n0 1\n255\n', []), /empty/],
    [ppm('P6\nx 1\n255\n', []), /unexpected byte/],
  ];
  for (const [data, message] of table) {
    assert.match(kilnThrown(() => parsePpm(data), JSON.stringify(data.toString('latin1'))).message, message);
  }
});

test('encodePng writes a PNG that decodes to the same pixels', () => {
  const rgb = Buffer.from(Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256));
  const png = encodePng({ width: 5, height: 3, rgb });
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const back = decodePng(png);
  assert.is(back.width, 5);
  assert.is(back.height, 3);
  assert.equal([...back.rgb], [...rgb]);
});

test.run();
