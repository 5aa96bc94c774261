// A sparse file as one member of an old-GNU tar archive (typeflag S), the form
// `tar --format=oldgnu -S` writes and GCE image import documents for disk.raw: only the
// file's data regions are stored, with a map of where they go; the holes between them
// (most of a fresh disk) cost nothing to pack, compress or upload.
//
// The header holds four map entries at byte 386, then an "extended" flag and the real
// size; more entries follow in extension blocks of 21, each with its own flag.
import { createReadStream } from 'node:fs';
import { BLOCK, sealChecksum, tarHeader, writeNumber } from './tar-header.js';
import type { TarEntry } from './tar-stream.js';

/** A run of bytes that holds data; everything between runs reads as zeros. */
export interface DataExtent {
  offset: number;
  length: number;
}

const ENTRY = 24; // offset and length, 12 bytes each
const IN_HEADER = 4;
const PER_EXTENSION = 21;

/**
 * The sparse map GNU tar would write: the data extents in order, and when the file ends
 * in a hole, a last empty extent at its end so a reader knows the full size.
 */
export function sparseMap(extents: readonly DataExtent[], realSize: number): DataExtent[] {
  const map = extents.filter((e) => e.length > 0);
  const last = map.at(-1);
  if (!last || last.offset + last.length < realSize) map.push({ offset: realSize, length: 0 });
  return map;
}

export interface SparseHeaderInput {
  name: string;
  mtime: number;
  /** The file's size once extracted. */
  realSize: number;
  map: readonly DataExtent[];
}

/** The member's header and extension blocks. */
export function gnuSparseHeader(input: SparseHeaderInput): Buffer {
  const stored = input.map.reduce((sum, e) => sum + e.length, 0);
  const header = tarHeader({ name: input.name, size: stored, mtime: input.mtime, format: 'gnu' });
  header.write('S', 156, 'latin1');
  const [first, rest] = [input.map.slice(0, IN_HEADER), input.map.slice(IN_HEADER)];
  writeEntries(header, 386, first);
  header[482] = rest.length > 0 ? 1 : 0;
  writeNumber(header, 483, 12, input.realSize);
  sealChecksum(header);
  const blocks = [header];
  for (let i = 0; i < rest.length; i += PER_EXTENSION) {
    const block = Buffer.alloc(BLOCK);
    writeEntries(block, 0, rest.slice(i, i + PER_EXTENSION));
    block[PER_EXTENSION * ENTRY] = i + PER_EXTENSION < rest.length ? 1 : 0;
    blocks.push(block);
  }
  return Buffer.concat(blocks);
}

function writeEntries(block: Buffer, at: number, entries: readonly DataExtent[]): void {
  entries.forEach((e, i) => {
    writeNumber(block, at + i * ENTRY, 12, e.offset);
    writeNumber(block, at + i * ENTRY + 12, 12, e.length);
  });
}

/**
 * `path` as a sparse member of `realSize` bytes (at least the file's own size: the
 * rest reads as a trailing hole), storing only `extents`, read from the file one
 * after the other.
 */
export function sparseFileEntry(name: string, path: string, realSize: number, extents: readonly DataExtent[], mtime: number): TarEntry {
  const map = sparseMap(extents, realSize);
  async function* read(): AsyncGenerator<Buffer> {
    for (const e of map) {
      if (e.length === 0) continue;
      for await (const chunk of createReadStream(path, { start: e.offset, end: e.offset + e.length - 1, highWaterMark: 1 << 20 })) yield chunk as Buffer;
    }
  }
  const size = map.reduce((sum, e) => sum + e.length, 0);
  return { name, size, content: read(), header: gnuSparseHeader({ name, mtime, realSize, map }) };
}
