// `kiln import` writes kiln.yaml somewhere else than the Packer template, and kiln reads
// relative paths against its template's folder where Packer reads them against the
// working directory: each local path is rewritten to be right from the new file. Paths
// under the new file's folder (bento's ${path.root}/...) become relative, so the pair
// can move together.
import { isAbsolute, relative, resolve } from 'node:path';
import { formatPath, type Segment } from '../../template/finding.js';

/** Key paths (with * for any list index) whose values are local paths. */
const PATH_KEYS: readonly (readonly (string | '*')[])[] = [
  ['source', 'iso', 'url'], ['source', 'iso', 'path'], ['source', 'iso', 'urls', '*'],
  ['source', 'disk', 'url'], ['source', 'disk', 'path'], ['source', 'disk', 'urls', '*'],
  ['http', 'directory'], ['cd', 'files', '*'], ['floppy', 'files', '*'], ['ssh', 'private_key'],
  ['provision', '*', 'shell', 'script'], ['provision', '*', 'file', 'source'], ['provision', '*', 'file', 'destination'],
  ['output', 'directory'], ['output', 'vagrant', 'vagrantfile'], ['output', 'vagrant', 'output'],
  ['post_process', '*', 'manifest', 'output'], ['post_process', '*', 'shell-local', 'script'], ['post_process', '*', 'shell-local', 'scripts', '*'],
];

/** Rewrites, in place, the local paths of `document` from `fromDir`-relative to `toDir`-relative; returns the keys changed. */
export function rebasePaths(document: Record<string, unknown>, fromDir: string, toDir: string): string[] {
  const changed: string[] = [];
  const visit = (value: unknown, path: Segment[], holder: Record<string, unknown> | unknown[], key: string | number): void => {
    if (typeof value === 'string') {
      if (!isPathKey(path) || !isLocal(value, path, holder)) return;
      const absolute = resolve(fromDir, value);
      const fromNew = relative(toDir, absolute) || '.';
      const rewritten = isAbsolute(value) && fromNew.startsWith('..') ? value : fromNew + (value.endsWith('/') ? '/' : '');
      if (rewritten !== value) {
        (holder as Record<string | number, unknown>)[key] = rewritten;
        changed.push(formatPath(path));
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i], value, i));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, item] of Object.entries(value)) visit(item, [...path, k], value as Record<string, unknown>, k);
    }
  };
  for (const [key, value] of Object.entries(document)) visit(value, [key], document, key);
  return changed;
}

function isPathKey(path: readonly Segment[]): boolean {
  return PATH_KEYS.some((pattern) => pattern.length === path.length && pattern.every((p, i) => (p === '*' ? typeof path[i] === 'number' : p === path[i])));
}

/** Not a URL, not a placeholder-led value, and on the host's side of a file provisioner. */
function isLocal(value: string, path: readonly Segment[], holder: object): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('{{') || value === '') return false;
  if (path[0] !== 'provision' || path[2] !== 'file') return true;
  const download = (holder as { direction?: unknown }).direction === 'download';
  return path[path.length - 1] === (download ? 'destination' : 'source');
}
