// The record kept beside a download cached by URL (entry/record.json, apart from the
// downloaded file): which URL it came from (credentials masked), its digest, and whether
// that digest was checked against a checksum (false for `checksum: none`). When a SUMS
// file cannot be fetched, a file with verified: true is reused with a warning instead of
// failing an offline build. Local files are remembered in digest-memo.ts instead.
import { readFile } from 'node:fs/promises';
import type { ChecksumAlgorithm } from '../template/types.js';

export interface RemoteRecord {
  /** The URL as redactUrl writes it. */
  url: string;
  /** File name inside the entry's files/ folder. */
  name: string;
  algorithm: ChecksumAlgorithm;
  hex: string;
  /** Whether the digest was compared with the template's checksum (or a SUMS file) and matched. */
  verified: boolean;
  time: string;
}

/** The parsed record, or undefined when it is missing or unreadable (a cache miss, never an error). */
export async function readRecord(path: string): Promise<RemoteRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RemoteRecord;
  } catch {
    return undefined;
  }
}
