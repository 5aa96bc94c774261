// Makes the images: an ISO 9660 CD (Joliet and Rock Ridge, so names and case survive)
// with xorriso or genisoimage, a 1.44 MB FAT12 floppy with mtools. Both are written
// under a temporary name and renamed.
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CancelledError, KilnError } from '../errors.js';
import { findExecutable } from '../util/find-executable.js';

/** ISO 9660 volume ids are 32 characters; FAT labels 11. */
export const CD_LABEL_MAX = 32;
export const FLOPPY_LABEL_MAX = 11;

/** The command that makes the CD (pure; tested by table). */
export function cdImageArgv(tool: 'xorriso' | 'genisoimage', dir: string, output: string, label: string): { command: string; args: string[] } {
  const args = ['-quiet', '-input-charset', 'utf-8', '-V', label, '-J', '-joliet-long', '-r', '-o', output, dir];
  return tool === 'xorriso' ? { command: 'xorriso', args: ['-as', 'mkisofs', ...args] } : { command: 'genisoimage', args };
}

export async function writeCdImage(dir: string, output: string, label: string, signal?: AbortSignal): Promise<void> {
  const tool = findExecutable('xorriso') ? 'xorriso' : findExecutable('genisoimage') ? 'genisoimage' : undefined;
  if (!tool) throw missingTool('xorriso', 'cd');
  await intoPlace(output, async (partial) => {
    const { command, args } = cdImageArgv(tool, dir, partial, label);
    await run(command, args, signal, 'cd');
  });
}

export async function writeFloppyImage(dir: string, output: string, label: string | undefined, signal?: AbortSignal): Promise<void> {
  if (!findExecutable('mformat') || !findExecutable('mcopy')) throw missingTool('mtools', 'floppy');
  await intoPlace(output, async (partial) => {
    // -C creates the image file, -f 1440 the standard 3.5" size installers expect.
    await run('mformat', ['-i', partial, '-C', '-f', '1440', ...(label ? ['-v', label] : []), '::'], signal, 'floppy');
    const entries = (await readdir(dir)).map((name) => join(dir, name));
    if (entries.length > 0) await run('mcopy', ['-i', partial, '-s', '-p', '-Q', ...entries, '::'], signal, 'floppy');
  });
}

async function intoPlace(output: string, write: (partial: string) => Promise<void>): Promise<void> {
  const partial = join(dirname(output), `.${basename(output)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await write(partial);
    await rename(partial, output);
  } finally {
    await rm(partial, { force: true });
  }
}

async function run(command: string, args: string[], signal: AbortSignal | undefined, what: string): Promise<void> {
  try {
    // Imported on first use: `kiln validate` loads this module without running anything.
    const { execa } = await import('execa');
    await execa(command, args, { cancelSignal: signal, env: { MTOOLS_SKIP_CHECK: '1' } });
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    const e = error as { stderr?: string; shortMessage?: string };
    const full = what === 'floppy' && /Disk full|No free/i.test(e.stderr ?? '');
    throw new KilnError('E_TOOL', `making the ${what} image failed: ${(e.stderr || e.shortMessage || String(error)).trim().split('\n')[0]}`, {
      cause: error,
      hint: full ? 'a floppy holds 1.44 MB: move the bigger files to the cd or http.directory' : `run the command yourself to see more: ${command} ${args.join(' ')}`,
    });
  }
}

function missingTool(tool: string, what: string): KilnError {
  return new KilnError('E_TOOL', `the ${what} image needs ${tool}, which is not installed`, { hint: `apt-get install ${tool} (brew install ${tool} on macOS)` });
}
