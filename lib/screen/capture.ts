// Reading the guest's screen through the hypervisor: QMP screendump to a scratch PPM,
// then parsed. The scratch file is reused (one capture at a time per path).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parsePpm, type Frame } from './frame.js';
import { encodePng } from './png.js';

/** What the screen code needs from a VM; QemuVm has it. */
export interface Screen {
  screendump(path: string, format?: 'ppm' | 'png'): Promise<void>;
}

export async function captureFrame(screen: Screen, scratchPpm: string): Promise<Frame> {
  await screen.screendump(scratchPpm, 'ppm');
  return parsePpm(await readFile(scratchPpm));
}

/** Writes `frame` as a PNG at `file`, atomically: a reader never sees half an image. */
export async function writePng(frame: Frame, file: string): Promise<void> {
  await writeFile(`${file}.partial`, encodePng(frame));
  await rename(`${file}.partial`, file);
}

/** Captures the screen and saves it as a PNG; returns the frame. */
export async function saveScreenshot(screen: Screen, file: string, scratchPpm: string): Promise<Frame> {
  const frame = await captureFrame(screen, scratchPpm);
  await writePng(frame, file);
  return frame;
}
