// output.vagrant.output: the box also at a path of the user's choosing (Packer's
// vagrant post-processor writes it only there). The box in the output directory stays
// the one manifest.json and `kiln publish` name; the copy is a hard link when both are
// on one filesystem. Written under a temporary name and renamed: a half-copied box never
// carries the final name, and an existing file is only replaced with --force.
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KilnError } from '../errors.js';

export async function placeBoxCopy(box: string, target: string, force: boolean): Promise<void> {
  if (!force && (await stat(target).catch(() => undefined))) {
    throw new KilnError('E_OUTPUT_EXISTS', `output.vagrant.output: ${target} exists already`, {
      hint: 'remove it, choose another path, or run with --force to replace it',
    });
  }
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await link(box, partial).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV' && error.code !== 'EPERM') throw error;
      await copyFile(box, partial);
    });
    await rename(partial, target);
  } catch (error) {
    // When the folder could not be made there is no partial file, and rm fails on the path itself.
    await rm(partial, { force: true }).catch(() => undefined);
    throw new KilnError('E_EXPORT', `output.vagrant.output: could not place the box at ${target}: ${(error as Error).message}`, {
      cause: error,
      hint: 'check that the folder is writable',
    });
  }
}
