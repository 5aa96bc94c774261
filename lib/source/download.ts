// Streams one URL into a file: a partial file of this download's own first (in the
// entry's partial/ folder, so two downloads never write or rename each other's file),
// hashed while it arrives, then fsync and an atomic rename, so "<dest>" only ever exists
// complete (and verified when a digest is expected). An interrupted download with a
// known digest is resumed with a Range request; the final digest check covers the
// joined bytes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CancelledError, KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { ChecksumAlgorithm } from '../template/types.js';
import { PARTIAL_SUFFIX } from './cache-layout.js';
import { updateHashFromFile } from '../util/hash-file.js';
import { isAlive } from '../util/is-alive.js';
import { redactUrl } from '../util/redact-url.js';
import { describe, httpGet, statusLine, type Response } from './http-get.js';
import type { ProxyRoutes } from './proxy-routes.js';
import { formatDigest, type ExpectedDigest } from './types.js';

export interface DownloadOptions {
  /** Algorithm to hash with; the expected one when there is one. */
  algorithm: ChecksumAlgorithm;
  expected?: ExpectedDigest;
  /** Folder for partial files; with `expected`, one left by an earlier download is resumed. */
  partials: string;
  signal?: AbortSignal;
  /** Which proxy, if any, the download goes through. */
  routes: ProxyRoutes;
  log: Log;
  onProgress?: (received: number, total?: number) => void;
  /** Runs once the download is complete (and verified), just before it replaces `dest`. */
  beforeRename?: () => Promise<void>;
}

export interface Downloaded {
  /** Hex digest of what was received. */
  hex: string;
  /**
   * Whether the server said where the body ends (Content-Length, or chunked encoding's
   * final chunk). A body that simply stops when the connection closes cannot be told
   * apart from one cut short.
   */
  endKnown: boolean;
}

/** Downloads `url` to `dest` (replacing it atomically). */
export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<Downloaded> {
  const { algorithm, expected, signal, log, routes } = options;
  const shown = redactUrl(url);
  await mkdir(options.partials, { recursive: true });
  const partial = join(options.partials, `${process.pid}-${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`);
  try {
    // Resuming is only safe when the result is checked: without a digest, a file that
    // changed on the server between two runs would be spliced together unnoticed.
    const offset = await adoptPartial(options.partials, partial, !!expected);

    // Hash what is already on disk before asking, so the server does not sit idle meanwhile.
    let hash = createHash(algorithm);
    if (offset) await updateHashFromFile(hash, partial, signal);
    let response = await request(url, offset, routes, signal);
    let start = offset;
    if (offset && !resumes(response, offset)) {
      log.info(`source: ${shown} cannot resume at byte ${offset}; starting over`);
      start = 0;
      hash = createHash(algorithm);
      // A 200 is the whole file already; anything else (416, a wrong range) is asked again.
      if (response.status !== 200) {
        await response.body?.cancel();
        response = await request(url, 0, routes, signal);
      }
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new KilnError('E_DOWNLOAD', `HTTP ${statusLine(response)} from ${shown}${routes.via(url)}`, {
        hint: statusHint(response.status),
      });
    }
    if (start) log.info(`source: resuming ${basename(dest)} at byte ${start}`);

    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? start + length : undefined;
    // undici fails the body of a chunked response that closes before its last chunk.
    const chunked = /\bchunked\b/i.test(response.headers.get('transfer-encoding') ?? '');
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
      throw new KilnError('E_DOWNLOAD', `download from ${shown} broke off after ${received} bytes: ${describe(cause)}`, {
        cause,
        hint: expected ? 'run the build again to resume the download' : 'run the build again',
      });
    } finally {
      await file.close();
    }
    if (total !== undefined && received !== total) {
      throw new KilnError('E_DOWNLOAD', `download from ${shown} ended after ${received} of ${total} bytes`, {
        hint: 'run the build again',
      });
    }

    const hex = hash.digest('hex');
    if (expected && hex !== expected.hex) {
      await rm(partial, { force: true });
      throw checksumMismatch(basename(dest), expected, hex, `downloaded from ${shown}; the download was deleted`);
    }
    await mkdir(dirname(dest), { recursive: true });
    await options.beforeRename?.();
    await rename(partial, dest);
    return { hex, endKnown: total !== undefined || chunked };
  } catch (error) {
    if (signal?.aborted) {
      await rm(partial, { force: true });
      throw new CancelledError();
    }
    if (!expected) await rm(partial, { force: true });
    throw error;
  }
}

/**
 * With `resume`, takes over the largest partial file an earlier download left (its
 * process gone, or this one: the caller holds the entry's lock) by renaming it to `mine`,
 * and returns its size. The rename is the claim: of two takers, one gets ENOENT. Other
 * leftovers are deleted.
 */
async function adoptPartial(dir: string, mine: string, resume: boolean): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const left: { path: string; size: number }[] = [];
  for (const name of names) {
    const pid = Number(/^(\d+)-[0-9a-f]+\.partial$/.exec(name)?.[1]);
    if (!pid || (pid !== process.pid && isAlive(pid))) continue;
    const size = await stat(join(dir, name)).then((s) => (s.isFile() ? s.size : 0), () => 0);
    left.push({ path: join(dir, name), size });
  }
  left.sort((a, b) => b.size - a.size);
  let size = 0;
  for (const candidate of left) {
    if (resume && !size && candidate.size && (await rename(candidate.path, mine).then(() => true, () => false))) size = candidate.size;
    else await rm(candidate.path, { force: true });
  }
  return size;
}

export function checksumMismatch(name: string, expected: ExpectedDigest, actualHex: string, context: string): KilnError {
  const actual = formatDigest({ algorithm: expected.algorithm, hex: actualHex });
  return new KilnError(
    'E_CHECKSUM',
    `checksum mismatch for ${name}: expected ${formatDigest(expected)} (from ${redactUrl(expected.from)}), got ${actual} (${context})`,
    { hint: 'the file is damaged or the checksum is out of date: compare it with the checksum the publisher lists today' },
  );
}

function request(url: string, offset: number, routes: ProxyRoutes, signal?: AbortSignal): Promise<Response> {
  // identity: a compressed transfer would make byte offsets and Content-Length meaningless.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset) headers.range = `bytes=${offset}-`;
  return httpGet(url, { routes, headers, signal });
}

/** A 206 whose Content-Range starts where the partial file ends. */
function resumes(response: Response, offset: number): boolean {
  if (response.status !== 206) return false;
  const range = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return Number(range?.[1]) === offset;
}

function statusHint(status: number): string {
  if (status === 404 || status === 410) return 'the file is not at that URL (mirrors drop old releases): update the URL';
  if (status === 401 || status === 403) return 'the server refused access: check the URL, or download the file yourself and use its path';
  if (status >= 500) return 'the server failed: try again later or list another mirror in urls';
  return 'check the URL in the template';
}
