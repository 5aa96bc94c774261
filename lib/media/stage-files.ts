// Gathers what goes on a CD or floppy into a folder, the way the image tools take it:
// files and folders with the file provisioner's slash rule, then rendered content
// (which wins over a file of the same path, as in Packer).
import { cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { KilnError, throwIfAborted } from '../errors.js';
import type { MediaSpec } from './types.js';

export async function stageMediaFiles(spec: MediaSpec, dir: string, render: (text: string) => string, what: string, signal?: AbortSignal): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const source of spec.files) {
    throwIfAborted(signal);
    const info = await stat(source).catch((error: unknown) => {
      throw new KilnError('E_SOURCE', `${what}: cannot read ${source}: ${(error as Error).message}`, { cause: error, hint: 'paths in files are relative to the template' });
    });
    const contentsOnly = source.endsWith('/');
    const target = info.isDirectory() && contentsOnly ? dir : join(dir, basename(resolve(source)));
    await cp(source, target, { recursive: true, errorOnExist: false, force: true });
  }
  for (const [path, text] of Object.entries(spec.content)) {
    const target = mediaPath(dir, path, what);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, render(text));
  }
}

/** A content key as a path inside the staging folder; never outside it. */
function mediaPath(dir: string, path: string, what: string): string {
  const relative = normalize(path.replace(/^\/+/, ''));
  if (relative === '.' || relative.startsWith('..')) {
    throw new KilnError('E_TEMPLATE', `${what}: content path ${JSON.stringify(path)} is outside the medium`, { hint: 'write paths like ks.cfg or dir/file.cfg' });
  }
  return join(dir, relative);
}
