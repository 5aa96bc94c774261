// Where things live in kiln's cache. Pure: paths in, paths out.
//
//   <cacheDir>/sources/sha256-<hex>/<name>     downloads whose digest the template states
//   <cacheDir>/sources/url-<hash>/<name>       downloads checked against a SUMS file, or not at all,
//   <cacheDir>/sources/url-<hash>/source.json  with what is known about them (see cache-records.ts)
//   <cacheDir>/verified/<hash>.json            digests of local files, by path+size+mtime
//
// A file only ever appears under its final name once complete (and verified when a
// checksum was given); "<name>.partial" is a download in progress or interrupted.
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

export const digestCacheDir = (cacheDir: string, algorithm: ChecksumAlgorithm, hex: string): string =>
  join(cacheDir, 'sources', `${algorithm}-${hex.toLowerCase()}`);

export const urlCacheDir = (cacheDir: string, url: string): string => join(cacheDir, 'sources', `url-${shortHash(url)}`);

export const verifiedRecordPath = (cacheDir: string, path: string): string =>
  join(cacheDir, 'verified', `${shortHash(path)}.json`);

export const PARTIAL_SUFFIX = '.partial';
export const REMOTE_RECORD = 'source.json';
