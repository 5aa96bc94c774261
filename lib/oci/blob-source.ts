// What a blob push reads from: a file (or a byte range of one) or bytes in memory, with
// its digest and size known before the push starts (the manifest names them).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import { hashFile } from '../util/hash-file.js';

export interface BlobSource {
  digest: string;
  size: number;
  /** Bytes [start, end) of the blob, read afresh each call (a retried chunk is read again). */
  read(start: number, end: number): Buffer | Readable;
  /** For messages: the file's name, or what the bytes are. */
  name: string;
}

export function bufferBlob(bytes: Buffer, name: string): BlobSource {
  return {
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
    read: (start, end) => bytes.subarray(start, end),
    name,
  };
}

/** A file as a blob; `sha256` when the build recorded it already (it is checked on the registry's side). */
export async function fileBlob(path: string, sha256?: string, signal?: AbortSignal): Promise<BlobSource> {
  const { size } = await stat(path);
  const hex = sha256 ?? (await hashFile(path, 'sha256', signal));
  return {
    digest: `sha256:${hex}`,
    size,
    read: (start, end) => createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 }),
    name: path,
  };
}
