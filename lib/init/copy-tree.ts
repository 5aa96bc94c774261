// Copies an assembled boot-config (assemble.ts) into the user's folder without leaving
// half a copy under the final name: a new or empty folder is filled next to it and
// renamed into place; with --force, each file is written beside its target and renamed
// over it, and files the boot-config does not have are left alone.
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KilnError, throwIfAborted } from '../errors.js';
import type { FileTree } from './assemble.js';

export interface CopyResult {
  /** Paths relative to the destination, in order. */
  files: string[];
  /** Whether the destination existed with other files in it (--force). */
  merged: boolean;
}

export async function copyTree(tree: FileTree, dest: string, options: { force: boolean; signal?: AbortSignal }): Promise<CopyResult> {
  const files = [...tree.keys()].sort();
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
        await copyOne(tree.get(file)!, partial);
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
      await copyOne(tree.get(file)!, join(staging, file));
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
