// Which file on disk a request may get. http-server follows symlinks wherever they lead,
// serves dotfiles, and answers a path its file APIs choke on with a 500 page quoting the
// host path; so every request for http.directory is resolved here first, and only a
// regular, readable file whose real path is inside the directory's real path reaches it,
// under that real path. The guest cannot change the host's files, so the moment between
// this check and http-server opening the file is no race it can win.
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';

/**
 * Whether `path` ("/a/.b/c") has a segment starting with "." that `named` does not name.
 * A named path names every dot segment in it; a named path ending in "/" (a NoCloud seed
 * directory) also names its dot segments for the files below it.
 */
export function isHidden(path: string, named: ReadonlySet<string>): boolean {
  if (named.has(path)) return false;
  const segments = path.split('/');
  let prefix = '';
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    prefix += `/${segment}`;
    if (!segment.startsWith('.')) continue;
    // The last segment is the file itself: only the exact path names it.
    if (i === segments.length - 1 || !named.has(`${prefix}/`)) return true;
  }
  return false;
}

/**
 * The request target to hand http-server for decoded URL path `path` (the file's real
 * path below the directory, percent-encoded), or undefined when nothing may be served.
 */
export async function resolveDiskFile(directory: string, path: string, named: ReadonlySet<string>): Promise<string | undefined> {
  // Lexically first ("/a/../.git/config" is "/.git/config"); the real path is checked below.
  const clean = posix.normalize(path);
  if (isHidden(clean, named)) return undefined;
  let root: string;
  let real: string;
  try {
    root = await realpath(directory);
    real = await realpath(join(root, clean));
  } catch {
    return undefined; // missing, a dangling or looping symlink, or unreadable on the way
  }
  const rel = relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  const realPath = `/${rel.split(sep).join('/')}`;
  // A symlink into .git/ is as hidden as .git/ itself, unless the template named the link.
  if (!named.has(clean) && isHidden(realPath, named)) return undefined;
  if (!(await isReadableFile(real))) return undefined;
  return realPath.split('/').map(encodeURIComponent).join('/');
}

/**
 * Opened, not just stat'ed: http-server reads a text file with readFileSync inside a
 * callback, where an EACCES would be an uncaught exception. O_NONBLOCK: opening a FIFO
 * must not wait for a writer; O_NOFOLLOW: `real` has no symlink left in it.
 */
async function isReadableFile(real: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    return (await handle.stat()).isFile();
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
