// Writes a stream of archive chunks to a file, optionally gzipped, hashing the bytes
// as they are written so the finished file is never read back. The file is written as
// NAME.partial and renamed into place only when complete: a file under its final name
// is always whole, also after a failure or Ctrl-C.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CancelledError, KilnError } from '../errors.js';
import { createParallelGzip } from './parallel-gzip.js';

export interface PackOptions {
  /** gzip level 1-9; 0 or undefined writes the archive uncompressed. */
  gzipLevel?: number;
  signal?: AbortSignal;
}

export interface PackedFile {
  bytes: number;
  sha256: string;
}

export async function packToFile(destination: string, chunks: AsyncIterable<Buffer>, options: PackOptions = {}): Promise<PackedFile> {
  const { signal } = options;
  if (signal?.aborted) throw new CancelledError();
  const partial = `${destination}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const stages = options.gzipLevel ? [createParallelGzip({ level: options.gzipLevel }), measure] : [measure];
  try {
    await pipeline([Readable.from(chunks, { objectMode: false }), ...stages, createWriteStream(partial)], { signal });
    await rename(partial, destination);
    return { bytes, sha256: hash.digest('hex') };
  } catch (error) {
    await rm(partial, { force: true });
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof KilnError) throw error;
    throw new KilnError('E_EXPORT', `writing ${destination} failed: ${(error as Error).message}`, {
      cause: error,
      hint: 'check free space in the output directory',
    });
  }
}

/** Turns bytes packed into whole percents of `total`, reported when they change. */
export function percentReporter(total: number, report?: (percent: number) => void): ((bytes: number) => void) | undefined {
  if (!report) return undefined;
  let last = -1;
  return (bytes) => {
    const percent = total > 0 ? Math.min(100, Math.floor((bytes * 100) / total)) : 100;
    if (percent !== last) report((last = percent));
  };
}
