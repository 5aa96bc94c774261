// Small JSON records kept next to cached files, so later builds can trust a file
// without hashing it again and can still use it when offline.
//
// Local files: a record of path, size, mtime and digest, written only after the file
// matched its expected checksum. While size and mtime are unchanged the file is taken
// as still matching that digest; touching or replacing the file makes kiln hash it again.
//
// Remote downloads keyed by URL: source.json says which URL the file came from, its
// digest, and whether that digest was checked against a checksum (false for
// `checksum: none`). When a SUMS file cannot be fetched, a file with verified: true is
// reused with a warning instead of failing an offline build.
import { readFile } from 'node:fs/promises';
import type { ChecksumAlgorithm } from '../template/types.js';

export interface LocalRecord {
  path: string;
  size: number;
  mtimeMs: number;
  algorithm: ChecksumAlgorithm;
  hex: string;
  time: string;
}

export interface RemoteRecord {
  url: string;
  /** File name inside the cache directory. */
  name: string;
  algorithm: ChecksumAlgorithm;
  hex: string;
  /** Whether the digest was compared with the template's checksum (or a SUMS file) and matched. */
  verified: boolean;
  time: string;
}

/** The parsed record, or undefined when it is missing or unreadable (a cache miss, never an error). */
export async function readRecord<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
