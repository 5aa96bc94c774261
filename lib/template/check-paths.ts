// The file-system half of validation: every local path the template names must exist
// and be the right kind of thing, so a typo fails in `kiln validate`, not mid-build.
import { stat } from 'node:fs/promises';
import type { Finding } from './finding.js';
import type { PathCheck } from './semantics.js';

/** `relativeTo` names where relative paths start, for the fix: "the template's directory" for a kiln.yaml. */
export async function checkPaths(checks: PathCheck[], relativeTo = "the template's directory"): Promise<Finding[]> {
  const results = await Promise.all(checks.map((check) => checkPath(check, relativeTo)));
  return results.filter((f): f is Finding => f !== undefined);
}

async function checkPath({ path, absolute, expect }: PathCheck, relativeTo: string): Promise<Finding | undefined> {
  try {
    const info = await stat(absolute);
    if (expect === 'file' && !info.isFile()) return { path, message: `${absolute} is not a file: give the path of a file` };
    if (expect === 'directory' && !info.isDirectory()) return { path, message: `${absolute} is not a directory: give the path of a directory` };
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { path, message: `${absolute} does not exist: fix the path (relative paths start at ${relativeTo})` };
    }
    return { path, message: `cannot read ${absolute} (${code ?? (error as Error).message}): check its permissions` };
  }
}
