// What kiln remembers about a local file's bytes, by path, size and mtime, so an
// unchanged multi-GB ISO is hashed once and not on every build. One memo per path
// serves both users: local sources checked against a checksum (local-source.ts) and
// the stage cache's identity of a `checksum: none` source (cache/source-identity.ts).
// While size and mtime are unchanged the file is taken to still have these digests;
// touching or replacing it makes kiln hash it again.
import { readFile } from 'node:fs/promises';
import type { ChecksumAlgorithm } from '../template/types.js';
import { writeJsonAtomic } from '../util/write-atomic.js';
import { digestMemoPath } from './cache-layout.js';

export interface DigestMemo {
  path: string;
  size: number;
  mtimeMs: number;
  /** Hex digests of the bytes, as hashed, per algorithm. */
  digests: Partial<Record<ChecksumAlgorithm, string>>;
  /** The last digest that matched a checksum the template gave: offline builds trust it. */
  verified?: { algorithm: ChecksumAlgorithm; hex: string; time: string };
}

export interface FileState {
  size: number;
  mtimeMs: number;
}

/** The memo for the file as it is now, or undefined (missing, unreadable, or the file changed). */
export async function recallDigests(cacheDir: string, path: string, now: FileState): Promise<DigestMemo | undefined> {
  let memo: DigestMemo;
  try {
    memo = JSON.parse(await readFile(digestMemoPath(cacheDir, path), 'utf8')) as DigestMemo;
  } catch {
    return undefined;
  }
  const same = memo?.path === path && memo.size === now.size && memo.mtimeMs === now.mtimeMs && typeof memo.digests === 'object';
  return same ? memo : undefined;
}

/**
 * Adds a digest to the file's memo (starting afresh if the file changed); `verified`
 * when it matched the template's checksum. Only an optimisation: callers may ignore failures.
 */
export async function rememberDigest(
  cacheDir: string,
  path: string,
  now: FileState,
  digest: { algorithm: ChecksumAlgorithm; hex: string; verified?: boolean },
): Promise<void> {
  const known = await recallDigests(cacheDir, path, now);
  const memo: DigestMemo = {
    path,
    size: now.size,
    mtimeMs: now.mtimeMs,
    digests: { ...known?.digests, [digest.algorithm]: digest.hex },
    ...(digest.verified
      ? { verified: { algorithm: digest.algorithm, hex: digest.hex, time: new Date().toISOString() } }
      : known?.verified && { verified: known.verified }),
  };
  await writeJsonAtomic(digestMemoPath(cacheDir, path), memo);
}
