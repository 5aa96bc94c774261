// The output directory is the one place kiln deletes in (--force), so it must never be,
// or contain, something the user keeps: the template's folder, its inputs, the working
// directory, kiln's cache, a home directory or the filesystem root. Compared by real
// path, so `.`, `..`, `~/x/..` and symlinks are seen through.
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, parse, relative, isAbsolute } from 'node:path';

export interface GuardedDir {
  path: string;
  /** What it is, for the message: "the template's folder". */
  what: string;
}

/** The message for the first guarded directory that `output` is or contains; undefined when none. */
export async function outputDirConflict(output: string, guarded: readonly GuardedDir[]): Promise<string | undefined> {
  const out = await realPathOfMaybeMissing(output);
  if (out === parse(out).root) return `${output} is the filesystem root: --force would delete everything. Choose a folder of its own, like output/{{ .Name }}`;
  for (const guard of guarded) {
    const path = await realPathOfMaybeMissing(guard.path);
    if (!contains(out, path)) continue;
    const relation = out === path ? 'is' : 'contains';
    return `${output} ${relation} ${guard.what} (${guard.path}): replacing the output would delete it. Choose a folder of its own, like output/{{ .Name }}`;
  }
  return undefined;
}

/** Whether `inner` is `outer` or lies below it. */
export function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** realpath of the nearest existing ancestor, with the missing rest appended. */
async function realPathOfMaybeMissing(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}
