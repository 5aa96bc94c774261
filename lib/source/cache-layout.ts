// Where things live in kiln's cache. Pure: paths in, paths out.
//
//   <cacheDir>/sources/v2/<key>/files/<name>   the downloaded file, only ever complete (and
//                                              verified when a checksum was given)
//   <cacheDir>/sources/v2/<key>/record.json    URL-keyed entries: what is known about the file
//   <cacheDir>/sources/v2/<key>/partial/       downloads in progress or interrupted, one file
//                                              per download: <pid>-<random>.partial
//   <cacheDir>/sources/v2/<key>/lock           held while the entry is being downloaded
//   <cacheDir>/digests/<hash>.json             digests of local files, by path+size+mtime
//
// <key> is sha256-<hex> (the digest the template states) or url-<hash> (checked against
// a SUMS file, or not at all). The downloaded file sits in a folder of its own so that no
// name a URL ends in ("source.json", "x.partial", "lock") can be taken for kiln's files.
// The first layout put everything in sources/<key>/; kiln no longer reads it.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ChecksumAlgorithm } from '../template/types.js';

/** $XDG_CACHE_HOME/kiln, else ~/.cache/kiln. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'kiln');
  return join(env.HOME || homedir(), '.cache', 'kiln');
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** One cache entry: the paths of its parts. */
export interface SourceEntry {
  dir: string;
  /** Holds the complete file(s) and nothing else. */
  files: string;
  record: string;
  partials: string;
  lock: string;
}

export const SOURCES_DIR = join('sources', 'v2');
export const PARTIAL_SUFFIX = '.partial';

function entry(dir: string): SourceEntry {
  return { dir, files: join(dir, 'files'), record: join(dir, 'record.json'), partials: join(dir, 'partial'), lock: join(dir, 'lock') };
}

export const digestEntry = (cacheDir: string, algorithm: ChecksumAlgorithm, hex: string): SourceEntry =>
  entry(join(cacheDir, SOURCES_DIR, `${algorithm}-${hex.toLowerCase()}`));

/** Keyed by the whole URL, credentials included: another token may mean another file. */
export const urlEntry = (cacheDir: string, url: string): SourceEntry => entry(join(cacheDir, SOURCES_DIR, `url-${shortHash(url)}`));

export const digestMemoPath = (cacheDir: string, path: string): string => join(cacheDir, 'digests', `${shortHash(path)}.json`);
