// Copies a boot-config folder into the user's folder without leaving half a copy under
// the final name: a new or empty folder is filled next to it and renamed into place;
// with --force, each file is written beside its target and renamed over it, and files
// the boot-config does not have are left alone.
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { KilnError, throwIfAborted } from '../errors.js';

export interface CopyResult {
  /** Paths relative to the destination, in order. */
  files: string[];
  /** Whether the destination existed with other files in it (--force). */
  merged: boolean;
}

export async function copyTree(source: string, dest: string, options: { force: boolean; signal?: AbortSignal }): Promise<CopyResult> {
  const files = await listFiles(source);
  const existing = await contentsOf(dest);
  if (existing === 'file') {
    throw new KilnError('E_OUTPUT_EXISTS', `${dest} exists and is not a folder`, { hint: 'give kiln init a new folder name' });
  }
  const entries = existing === 'missing' ? [] : existing;
  if (entries.length > 0 && !options.force) {
    throw new KilnError('E_OUTPUT_EXISTS', `${dest} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''})`, {
      hint: 'choose a new folder, or add --force to write the boot-config into it (files of the same name are replaced, others are kept)',
    });
  }
  if (entries.length > 0) {
    for (const file of files) {
      throwIfAborted(options.signal);
      const target = join(dest, file);
      await mkdir(dirname(target), { recursive: true });
      const partial = `${target}.kiln-init-partial`;
      try {
        await copyOne(join(source, file), partial);
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    }
    return { files, merged: true };
  }
  await mkdir(dirname(dest), { recursive: true });
  // mkdir, not mkdtemp: the folder keeps the usual permissions (mkdtemp's are 0700).
  const staging = join(dirname(dest), `.${basename(dest)}.kiln-init-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    for (const file of files) {
      throwIfAborted(options.signal);
      await mkdir(dirname(join(staging, file)), { recursive: true });
      await copyOne(join(source, file), join(staging, file));
    }
    if (existing !== 'missing') await rmdir(dest);
    await rename(staging, dest);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { files, merged: false };
}

async function copyOne(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  await chmod(to, (await stat(from)).mode & 0o777);
}

/** Every file under `root`, relative, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}

async function contentsOf(dir: string): Promise<string[] | 'missing' | 'file'> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return 'file';
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}
