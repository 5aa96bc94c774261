// Digests of local files and directory trees that a stage reads (scripts, uploads,
// served files). Directories are walked recursively and symlinks followed, as uploads
// do, so a key changes when anything that would reach the guest changes.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, KilnError } from '../errors.js';
import { hashFile } from '../util/hash-file.js';

export interface TreeEntry {
  /** Path below the root, with "/" separators; "" for the root itself. */
  rel: string;
  kind: 'file' | 'directory';
  /** Permission bits (uploads keep them). */
  mode: number;
  /** sha256 hex of a file's bytes. */
  sha256?: string;
}

/** sha256 of a file a stage reads; one that cannot be read is a template error (E_SOURCE). */
export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  return hashFile(path, 'sha256', signal).catch((error: unknown) => {
    throw error instanceof CancelledError ? error : unreadable(path, error);
  });
}

/** The file at `path`, or every file and directory under it (sorted, the root first). */
export async function treeEntries(path: string, signal?: AbortSignal): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  await walk(path, '', new Set(), entries, signal);
  return entries;
}

async function walk(path: string, rel: string, ancestors: Set<string>, out: TreeEntry[], signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new CancelledError();
  const info = await stat(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  const mode = info.mode & 0o7777;
  if (info.isFile()) {
    out.push({ rel, kind: 'file', mode, sha256: await fileSha256(path, signal) });
    return;
  }
  if (!info.isDirectory()) {
    throw new KilnError('E_SOURCE', `${path} is neither a file nor a directory`, { hint: 'remove it, or point the template at regular files' });
  }
  const real = await realpath(path);
  if (ancestors.has(real)) {
    throw new KilnError('E_SOURCE', `${path} is a symlink loop back into a directory it is in`, { hint: 'remove the link' });
  }
  out.push({ rel, kind: 'directory', mode });
  const names = (await readdir(path)).sort();
  const inner = new Set(ancestors).add(real);
  for (const name of names) await walk(join(path, name), rel ? `${rel}/${name}` : name, inner, out, signal);
}

function unreadable(path: string, error: unknown): KilnError {
  return new KilnError('E_SOURCE', `cannot read ${path}: ${(error as Error).message}`, {
    cause: error,
    hint: 'files a template names must stay readable while kiln works out what changed',
  });
}
