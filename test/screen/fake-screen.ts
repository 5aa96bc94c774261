// A VM screen for tests: screendump writes the next frame of a script as PPM.
import { writeFile } from 'node:fs/promises';
import type { Screen } from '../../lib/screen/capture.js';
import type { Frame } from '../../lib/screen/frame.js';

export function toPpm(frame: Frame): Buffer {
  return Buffer.concat([Buffer.from(`P6\n${frame.width} ${frame.height}\n255\n`), frame.rgb]);
}

/** Shows `frameAt(n)` on the n-th screendump (0-based). */
export function fakeScreen(frameAt: (n: number) => Frame): Screen & { dumps: number } {
  const screen = {
    dumps: 0,
    async screendump(path: string, format: 'ppm' | 'png' = 'ppm') {
      if (format !== 'ppm') throw new Error('the fake only writes PPM');
      await writeFile(path, toPpm(frameAt(screen.dumps++)));
    },
  };
  return screen;
}
