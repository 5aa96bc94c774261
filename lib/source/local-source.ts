// A source given as a local path is used where it is, never copied; with a checksum
// it is hashed once and the result remembered by path+size+mtime (digest-memo.ts).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KilnError } from '../errors.js';
import { checksumMismatch } from './download.js';
import { recallDigests, rememberDigest } from './digest-memo.js';
import { hashFile } from '../util/hash-file.js';
import { formatDigest, type Expectation, type FetchedSource, type FetchSourceOptions } from './types.js';

export async function useLocalFile(
  path: string,
  url: string,
  expect: Expectation,
  options: FetchSourceOptions,
): Promise<FetchedSource> {
  const { log, signal, cacheDir } = options;
  const info = await stat(path).catch((cause: unknown) => {
    throw new KilnError('E_SOURCE', `${path} does not exist or cannot be read`, {
      cause,
      hint: 'check the path (relative paths are resolved against the template directory)',
    });
  });
  if (!info.isFile()) throw new KilnError('E_SOURCE', `${path} is not a file`);
  if (expect.kind === 'unverified') return { path, url, cached: false };

  const memo = await recallDigests(cacheDir, path, info);

  if (expect.kind === 'offline') {
    const { verified } = memo ?? {};
    if (!verified) throw expect.reason;
    log.warn(`source: ${expect.reason.message}; using ${path}, which matched ${formatDigest(verified)} on ${verified.time}`);
    return { path, url, checksum: formatDigest(verified), cached: false };
  }

  const { digest } = expect;
  const known = memo?.digests[digest.algorithm];
  if (known === digest.hex) {
    log.debug(`source: ${path} unchanged since it was hashed (${formatDigest(digest)})`);
    if (memo?.verified?.hex !== digest.hex) await remember(digest.hex);
    return { path, url, checksum: formatDigest(digest), cached: false };
  }
  let hex = known;
  if (!hex) {
    log.info(`source: verifying ${path} (${digest.algorithm})`);
    hex = await hashFile(path, digest.algorithm, signal);
  }
  if (hex !== digest.hex) throw checksumMismatch(basename(path), digest, hex, `local file ${path}`);
  await remember(hex);
  return { path, url, checksum: formatDigest(digest), cached: false };

  async function remember(hex: string): Promise<void> {
    // Remembering is an optimisation: a read-only cache only costs a re-hash next time.
    await rememberDigest(cacheDir, path, info, { algorithm: digest.algorithm, hex, verified: true }).catch((e: Error) =>
      log.debug(`source: cannot record verification: ${e.message}`),
    );
  }
}
