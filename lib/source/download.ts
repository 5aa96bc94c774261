// Streams one URL into a file: "<dest>.partial" first, hashed while it arrives, then
// fsync and an atomic rename, so "<dest>" only ever exists complete (and verified
// when a digest is expected). An interrupted download with a known digest is resumed
// with a Range request; the final digest check covers the joined bytes.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CancelledError, KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { ChecksumAlgorithm } from '../template/types.js';
import { PARTIAL_SUFFIX } from './cache-layout.js';
import { updateHashFromFile } from '../util/hash-file.js';
import { formatDigest, type ExpectedDigest } from './types.js';

export interface DownloadOptions {
  /** Algorithm to hash with; the expected one when there is one. */
  algorithm: ChecksumAlgorithm;
  expected?: ExpectedDigest;
  signal?: AbortSignal;
  log: Log;
  onProgress?: (received: number, total?: number) => void;
}

/** Downloads `url` to `dest` and returns the hex digest of what was received. */
export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<string> {
  const { algorithm, expected, signal, log } = options;
  const partial = dest + PARTIAL_SUFFIX;
  await mkdir(dirname(dest), { recursive: true });
  try {
    // Resuming is only safe when the result is checked: without a digest, a file that
    // changed on the server between two runs would be spliced together unnoticed.
    const offset = expected ? await sizeOf(partial) : 0;
    if (!offset) await rm(partial, { force: true });

    // Hash what is already on disk before asking, so the server does not sit idle meanwhile.
    let hash = createHash(algorithm);
    if (offset) await updateHashFromFile(hash, partial, signal);
    let response = await request(url, offset, signal);
    let start = offset;
    if (offset && !resumes(response, offset)) {
      log.info(`source: ${url} cannot resume at byte ${offset}; starting over`);
      start = 0;
      hash = createHash(algorithm);
      // A 200 is the whole file already; anything else (416, a wrong range) is asked again.
      if (response.status !== 200) {
        await response.body?.cancel();
        response = await request(url, 0, signal);
      }
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new KilnError('E_DOWNLOAD', `HTTP ${response.status} ${response.statusText} from ${url}`.trimEnd(), {
        hint: statusHint(response.status),
      });
    }
    if (start) log.info(`source: resuming ${basename(dest)} at byte ${start}`);

    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? start + length : undefined;
    let received = start;
    const file = await open(partial, start ? 'a' : 'w');
    try {
      options.onProgress?.(received, total);
      for await (const chunk of response.body) {
        hash.update(chunk);
        await file.write(chunk);
        received += chunk.byteLength;
        options.onProgress?.(received, total);
      }
      await file.sync();
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new KilnError('E_DOWNLOAD', `download from ${url} broke off after ${received} bytes: ${describe(cause)}`, {
        cause,
        hint: expected ? 'run the build again to resume the download' : 'run the build again',
      });
    } finally {
      await file.close();
    }
    if (total !== undefined && received !== total) {
      throw new KilnError('E_DOWNLOAD', `download from ${url} ended after ${received} of ${total} bytes`, {
        hint: 'run the build again',
      });
    }

    const hex = hash.digest('hex');
    if (expected && hex !== expected.hex) {
      await rm(partial, { force: true });
      throw checksumMismatch(basename(dest), expected, hex, `downloaded from ${url}; the download was deleted`);
    }
    await rename(partial, dest);
    return hex;
  } catch (error) {
    if (signal?.aborted) {
      await rm(partial, { force: true });
      throw new CancelledError();
    }
    if (!expected) await rm(partial, { force: true });
    throw error;
  }
}

export function checksumMismatch(name: string, expected: ExpectedDigest, actualHex: string, context: string): KilnError {
  const actual = formatDigest({ algorithm: expected.algorithm, hex: actualHex });
  return new KilnError(
    'E_CHECKSUM',
    `checksum mismatch for ${name}: expected ${formatDigest(expected)} (from ${expected.from}), got ${actual} (${context})`,
    { hint: 'the file is damaged or the checksum is out of date: compare it with the checksum the publisher lists today' },
  );
}

async function request(url: string, offset: number, signal?: AbortSignal): Promise<Response> {
  // identity: a compressed transfer would make byte offsets and Content-Length meaningless.
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'kiln' };
  if (offset) headers.range = `bytes=${offset}-`;
  try {
    return await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new KilnError('E_DOWNLOAD', `cannot reach ${url}: ${describe(cause)}`, {
      cause,
      hint: 'check the URL and the network connection (kiln works offline only with files it has cached or local paths)',
    });
  }
}

/** A 206 whose Content-Range starts where the partial file ends. */
function resumes(response: Response, offset: number): boolean {
  if (response.status !== 206) return false;
  const range = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return Number(range?.[1]) === offset;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then((s) => (s.isFile() ? s.size : 0), () => 0);
}

/** undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND...) in cause. */
export function describe(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error) {
    const code = (inner as NodeJS.ErrnoException).code;
    return code && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message;
  }
  return String(inner);
}

function statusHint(status: number): string {
  if (status === 404 || status === 410) return 'the file is not at that URL (mirrors drop old releases): update the URL';
  if (status === 401 || status === 403) return 'the server refused access: check the URL, or download the file yourself and use its path';
  if (status >= 500) return 'the server failed: try again later or list another mirror in urls';
  return 'check the URL in the template';
}
