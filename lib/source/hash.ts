// Hashing files on disk as a stream (ISOs are gigabytes; never read them whole).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CancelledError } from '../errors.js';
import type { ChecksumAlgorithm } from '../template/types.js';

/** Feeds the file's bytes into `hash`; used to resume a download's digest. */
export async function updateHashFromFile(hash: Hash, path: string, signal?: AbortSignal): Promise<void> {
  try {
    for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  }
}

export async function hashFile(path: string, algorithm: ChecksumAlgorithm, signal?: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  await updateHashFromFile(hash, path, signal);
  return hash.digest('hex');
}
