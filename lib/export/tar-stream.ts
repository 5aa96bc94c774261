// A tar archive as an async stream of chunks, members read lazily one after the other:
// a member's content is pulled only when the archive reaches it, so an entry list can
// compute a later member (an OVA manifest) from the bytes of earlier ones. Nothing is
// held in memory beyond the chunk in flight.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import { END_OF_ARCHIVE, padding, tarHeader } from './tar-header.js';

export interface TarEntry {
  name: string;
  size: number;
  /** Exactly `size` bytes. */
  content: Buffer | AsyncIterable<Buffer>;
  /** Header blocks made by the member's own kind (a GNU sparse file); default one ustar header. */
  header?: Buffer;
}

export interface FileEntry extends TarEntry {
  /** The SHA-256 of the bytes read so far; the file's digest once the archive has moved past it. */
  sha256(): string;
}

export function bufferEntry(name: string, content: Buffer | string): TarEntry {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, size: bytes.length, content: bytes };
}

/** A file on disk as a member, hashed while it is packed. */
export async function fileEntry(name: string, path: string): Promise<FileEntry> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* read(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
    digest = hash.digest('hex');
  }
  return {
    name,
    size,
    content: read(),
    sha256: () => {
      if (digest === undefined) throw new Error(`internal: ${name} has not been packed yet`);
      return digest;
    },
  };
}

export interface TarStreamOptions {
  /** Seconds since the epoch, for every member. */
  mtime: number;
  /** Called with the bytes of member content passed so far (for progress). */
  onContent?: (bytes: number) => void;
}

export async function* tarStream(
  entries: Iterable<TarEntry> | AsyncIterable<TarEntry>,
  options: TarStreamOptions,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const entry of entries) {
    yield entry.header ?? tarHeader({ name: entry.name, size: entry.size, mtime: options.mtime });
    let written = 0;
    const chunks = Buffer.isBuffer(entry.content) ? [entry.content] : entry.content;
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > entry.size) throw changed(entry, written);
      total += chunk.length;
      options.onContent?.(total);
      yield chunk;
    }
    if (written !== entry.size) throw changed(entry, written);
    const pad = padding(entry.size);
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield END_OF_ARCHIVE;
}

const changed = (entry: TarEntry, bytes: number) =>
  new KilnError('E_EXPORT', `${entry.name} changed while it was packed (${entry.size} bytes expected, ${bytes} read)`, {
    hint: 'nothing else may write to the build output while kiln runs',
  });
