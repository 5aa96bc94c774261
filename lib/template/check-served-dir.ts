// http.directory is served to the guest, and to anything else that reaches the port:
// the filesystem root or a home directory would hand out SSH keys and everything else.
// Compared by real path, so `..` and symlinks are seen through.
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, parse } from 'node:path';
import { contains } from './check-output-dir.js';

/** Folders that hold home directories on Linux and macOS: /home/NAME, /Users/NAME. */
const HOME_PARENTS = ['/home', '/Users'];

/** Why `dir` must not be served, or undefined. A missing directory is check-paths' to report. */
export async function servedDirProblem(dir: string, home: string = homedir()): Promise<string | undefined> {
  const real = await realpath(dir).catch(() => undefined);
  if (real === undefined) return undefined;
  const fix = 'serve a folder of its own, like http/ next to the template';
  if (real === parse(real).root) return `${dir} is the filesystem root: kiln would serve every file on this machine; ${fix}`;
  const realHome = await realpath(home).catch(() => home);
  const isHome = real === '/root' || HOME_PARENTS.includes(dirname(real)) || HOME_PARENTS.includes(real);
  if (isHome || contains(real, realHome)) {
    return `${dir} is or contains a home directory (${real === realHome || isHome ? basename(real) : realHome}): kiln would serve its files, SSH keys included; ${fix}`;
  }
  return undefined;
}
