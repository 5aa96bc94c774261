// The checksum post-processor: <TYPE>SUMS files beside the artifacts, in GNU coreutils'
// format ("<hex>  <file>"), so `sha256sum -c SHA256SUMS` run in the output directory
// verifies them. sha256 reuses the digests export computed; other types stream the files.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecksumType } from '../template/types.js';
import { hashFile } from '../util/hash-file.js';

export interface ChecksumFile {
  /** A plain name inside outputDir. */
  file: string;
  /** Its sha256, when already known (export computed it). */
  sha256?: string;
}

export interface WriteChecksumsOptions {
  outputDir: string;
  files: readonly ChecksumFile[];
  types: readonly ChecksumType[];
  signal?: AbortSignal;
}

/** SHA256SUMS, SHA512SUMS, MD5SUMS, SHA1SUMS. */
export const sumsFileName = (type: ChecksumType): string => `${type.toUpperCase()}SUMS`;

/** Writes one SUMS file per type, each atomically (temp file, then rename); returns their names. */
export async function writeChecksums(options: WriteChecksumsOptions): Promise<string[]> {
  const { outputDir, files, types, signal } = options;
  const written: string[] = [];
  for (const type of types) {
    const lines: string[] = [];
    for (const entry of files) {
      const hex = type === 'sha256' && entry.sha256 ? entry.sha256 : await hashFile(join(outputDir, entry.file), type, signal);
      lines.push(`${hex}  ${entry.file}\n`);
    }
    const name = sumsFileName(type);
    await writeAtomic(join(outputDir, name), lines.join(''));
    written.push(name);
  }
  return written;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
