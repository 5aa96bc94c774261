// What a blob push reads from: a file (or a byte range of one) or bytes in memory, with
// its digest and size known before the push starts (the manifest names them).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CancelledError } from '../errors.js';
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

/** A part of a composed blob: bytes in memory, or a whole file. */
export type Segment = { bytes: Buffer } | { path: string; size: number };

/**
 * Blobs laid end to end as one (a tar of headers and a file, for a containerDisk), so a
 * chunk reads only the parts it spans and a disk is never copied to make the layer.
 */
export async function segmentBlob(segments: Segment[], name: string, signal?: AbortSignal): Promise<BlobSource> {
  const size = segments.reduce((n, s) => n + ('bytes' in s ? s.bytes.length : s.size), 0);
  const read = (start: number, end: number): Readable => Readable.from(readRange(segments, start, end));
  const hash = createHash('sha256');
  for await (const chunk of readRange(segments, 0, size)) {
    if (signal?.aborted) throw new CancelledError();
    hash.update(chunk);
  }
  return { digest: `sha256:${hash.digest('hex')}`, size, read, name };
}

async function* readRange(segments: Segment[], start: number, end: number): AsyncGenerator<Buffer> {
  let at = 0;
  for (const segment of segments) {
    const length = 'bytes' in segment ? segment.bytes.length : segment.size;
    const from = Math.max(start, at);
    const to = Math.min(end, at + length);
    if (from < to) {
      if ('bytes' in segment) yield segment.bytes.subarray(from - at, to - at);
      else for await (const chunk of createReadStream(segment.path, { start: from - at, end: to - at - 1, highWaterMark: 1 << 20 })) yield chunk as Buffer;
    }
    at += length;
  }
}
