// What a template's HTTP server will serve: every file under http.directory but the
// dotfiles it does not name (as in the server), and every http.content entry (which wins
// when both have a path, as in the server).
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isHidden } from '../http/disk-files.js';
import { normalizePath } from '../http/request-log.js';
import type { Template } from '../template/types.js';
import { SEED_HTTP_PREFIX } from '../template/placeholders.js';

export type ServedFile =
  | { path: string; source: 'content'; text: string }
  | { path: string; source: 'directory'; file: string }
  /** The cloud_init seed (lint-seed.ts checks it), served under /cloud-init/ ahead of both others. */
  | { path: string; source: 'seed' };

/** Where the server puts the seed (cloud-init-seed.ts), as {{ .CloudInitURL }} names it. */
export const SEED_FILES = ['user-data', 'meta-data', 'vendor-data', 'network-config'].map((name) => `${SEED_HTTP_PREFIX}${name}`);

/** More files than this under http.directory are not listed (the path check then trusts the rest). */
const MAX_FILES = 5000;

export async function listServed(
  http: Template['http'],
  cloudInit?: Template['cloud_init'],
  /** The paths the template names (named-paths.ts): the only dotfiles served. */
  named: ReadonlySet<string> = new Set(),
): Promise<{ files: Map<string, ServedFile>; complete: boolean; shadowed: ServedFile[] }> {
  const files = new Map<string, ServedFile>();
  let complete = true;
  if (http.directory) {
    const root = http.directory;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (files.size >= MAX_FILES) {
          complete = false;
          return;
        }
        const full = join(dir, entry.name);
        const path = normalizePath(relative(root, full).split(sep).join('/'));
        // A .git/ is not walked (it would use up MAX_FILES) unless a named path is in it.
        if (entry.isDirectory()) {
          if (!entry.name.startsWith('.') || [...named].some((p) => p.startsWith(`${path}/`))) await walk(full);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && !isHidden(path, named)) {
          files.set(path, { path, source: 'directory', file: full });
        }
      }
    };
    await walk(root);
  }
  for (const [key, text] of Object.entries(http.content)) {
    const path = normalizePath(key);
    files.set(path, { path, source: 'content', text });
  }
  const shadowed: ServedFile[] = [];
  if (cloudInit?.via.includes('http')) {
    for (const path of SEED_FILES) {
      if (path.endsWith('network-config') && cloudInit.network_config === undefined) continue;
      const before = files.get(path);
      if (before) shadowed.push(before);
      files.set(path, { path, source: 'seed' });
    }
  }
  return { files, complete, shadowed };
}

/** Whether `path` is served: a file, or for a path ending in "/", anything below it. */
export function isServed(files: ReadonlyMap<string, ServedFile>, path: string): boolean {
  if (files.has(path)) return true;
  if (path.endsWith('/')) return [...files.keys()].some((p) => p.startsWith(path));
  return false;
}
