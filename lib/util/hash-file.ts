// Hashing files on disk as a stream (ISOs and disk images are gigabytes; never read them
// whole). A fired signal surfaces as CancelledError, as everywhere in kiln.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CancelledError } from '../errors.js';

/** Feeds the file's bytes into `hash` (a download's digest is resumed this way). */
export async function updateHashFromFile(hash: Hash, path: string, signal?: AbortSignal): Promise<void> {
  try {
    for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  }
}

/** The file's digest in hex: sha256 unless another algorithm node:crypto knows is named. */
export async function hashFile(path: string, algorithm = 'sha256', signal?: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  await updateHashFromFile(hash, path, signal);
  return hash.digest('hex');
}
