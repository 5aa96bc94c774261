// One POSIX ustar header block, as a pure function. OVF 1.0 requires ustar for OVA
// packages and Vagrant unpacks boxes with bsdtar, so kiln writes plain ustar: one
// 512-byte header per member and no extension entries, so that the OVF descriptor is
// really the first member. Sizes of 8 GiB and more, which ustar's 11 octal digits
// cannot hold, use the base-256 size encoding that GNU tar, bsdtar, node-tar and
// Python read. GCE's disk.raw archives use GNU's header instead (gnu-sparse.ts).
import { KilnError } from '../errors.js';

export const BLOCK = 512;

export interface TarHeaderInput {
  /** A relative member name of at most 100 bytes; OVA and box members are flat, a containerDisk's sit in disk/. */
  name: string;
  /** Default a regular file; a directory has size 0. */
  type?: 'file' | 'directory';
  /** uid and gid (default 0: root). */
  owner?: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Default 0o644. */
  mode?: number;
  /** ustar (default), or GNU's own (magic "ustar  "), which GCE image import asks for. */
  format?: 'ustar' | 'gnu';
}

export function tarHeader(input: TarHeaderInput): Buffer {
  const name = Buffer.from(input.name, 'utf8');
  const segments = input.name.replace(/\/$/, '').split('/');
  if (name.length === 0 || name.length > 100 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new KilnError('E_EXPORT', `cannot pack "${input.name}": tar member names here are relative paths of 1 to 100 bytes, without empty, "." or ".." parts`, {
      hint: 'use a shorter template name',
    });
  }
  if (!Number.isSafeInteger(input.size) || input.size < 0) {
    throw new KilnError('E_EXPORT', `cannot pack "${input.name}": ${input.size} is not a file size`);
  }
  const block = Buffer.alloc(BLOCK);
  name.copy(block, 0);
  octal(block, 100, 8, input.mode ?? 0o644);
  octal(block, 108, 8, input.owner ?? 0); // uid
  octal(block, 116, 8, input.owner ?? 0); // gid
  writeNumber(block, 124, 12, input.size);
  octal(block, 136, 12, Math.max(0, Math.floor(input.mtime)));
  block.write(input.type === 'directory' ? '5' : '0', 156, 'latin1'); // typeflag
  // GNU's magic and version run together: "ustar" then two spaces and a NUL.
  if (input.format === 'gnu') block.write('ustar  \0', 257, 'latin1');
  else block.write('ustar\u000000', 257, 'latin1');
  return sealChecksum(block);
}

/** Fills in the header's checksum (after any field changed); returns the block. */
export function sealChecksum(block: Buffer): Buffer {
  // The checksum is computed with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** A 12-byte size or offset field: octal below 8 GiB, base-256 above (as GNU tar writes). */
export function writeNumber(block: Buffer, offset: number, width: number, value: number): void {
  if (value < 8 ** (width - 1)) octal(block, offset, width, value);
  else base256(block, offset, width, value);
}

/** Zero bytes that bring a member of `size` bytes to a whole number of blocks. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, 'latin1');
}

function base256(block: Buffer, offset: number, width: number, value: number): void {
  let rest = BigInt(value);
  for (let i = offset + width - 1; i > offset; i--) {
    block[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  block[offset] = 0x80;
}
