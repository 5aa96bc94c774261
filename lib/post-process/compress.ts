// The compress post-processor: the build's artifacts as one tar.gz, or each as its own
// .gz or .zst, compressed on every core (the project's parallel gzip; zstd -T0). Each
// file is written under a .partial name and renamed when whole; the originals are
// deleted afterwards unless kept.
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { CancelledError, KilnError } from '../errors.js';
import { packToFile } from '../export/pack-to-file.js';
import { fileEntry, tarStream } from '../export/tar-stream.js';
import type { CompressFormat } from '../template/types.js';
import { hashFile } from '../util/hash-file.js';

export interface CompressedFile {
  file: string;
  format: string;
  bytes: number;
  sha256: string;
}

export interface CompressOptions {
  outputDir: string;
  /** Plain names inside outputDir. */
  files: readonly string[];
  format: CompressFormat;
  level: number;
  /** tar.gz only: the archive's name inside outputDir. */
  archive: string;
  signal?: AbortSignal;
}

/** Writes the compressed files; returns them in order. The originals are left alone. */
export async function compressFiles(options: CompressOptions): Promise<CompressedFile[]> {
  const { outputDir, files, level, signal } = options;
  if (options.format === 'tar.gz') {
    const entries = await Promise.all(files.map((file) => fileEntry(file, join(outputDir, file))));
    const packed = await packToFile(join(outputDir, options.archive), tarStream(entries, { mtime: Math.floor(Date.now() / 1000) }), { gzipLevel: level, signal });
    return [{ file: options.archive, format: 'tar.gz', ...packed }];
  }
  const written: CompressedFile[] = [];
  for (const file of files) {
    const target = `${file}.${options.format}`;
    const destination = join(outputDir, target);
    if (options.format === 'gz') {
      const packed = await packToFile(destination, readChunks(join(outputDir, file)), { gzipLevel: level, signal });
      written.push({ file: target, format: 'gz', ...packed });
    } else {
      await zstd(join(outputDir, file), destination, level, signal);
      written.push({ file: target, format: 'zst', bytes: (await stat(destination)).size, sha256: await hashFile(destination, 'sha256', signal) });
    }
  }
  return written;
}

/** Deletes the originals once their compressed forms are written. */
export async function removeOriginals(outputDir: string, files: readonly string[]): Promise<void> {
  for (const file of files) await rm(join(outputDir, file), { force: true });
}

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}

async function zstd(source: string, destination: string, level: number, signal?: AbortSignal): Promise<void> {
  const partial = `${destination}.partial`;
  // -T0: one worker per core. --long would make files some readers refuse; not used.
  const result = await execa('zstd', ['-q', '-f', '-T0', `-${level}`, '-o', partial, source], { reject: false, cancelSignal: signal, stdin: 'ignore' });
  if (result.exitCode === 0 && !signal?.aborted) {
    await rename(partial, destination);
    return;
  }
  await rm(partial, { force: true });
  if (result.isCanceled || signal?.aborted) throw new CancelledError();
  if (result.code === 'ENOENT') {
    throw new KilnError('E_TOOL', 'zstd was not found', { hint: 'install zstd (Debian/Ubuntu: apt-get install zstd; Fedora: dnf install zstd; macOS: brew install zstd), or use format gz' });
  }
  throw new KilnError('E_POST_PROCESS', `zstd could not compress ${source}: ${String(result.stderr).trim() || result.shortMessage}`, {
    hint: 'check free space in the output directory',
  });
}
