// A source given as a local path is used where it is, never copied; with a checksum
// it is hashed once and the result remembered by path+size+mtime (cache-records.ts).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KilnError } from '../errors.js';
import { verifiedRecordPath } from './cache-layout.js';
import { writeJsonAtomic } from '../util/write-json-atomic.js';
import { readRecord, type LocalRecord } from './cache-records.js';
import { checksumMismatch } from './download.js';
import { hashFile } from '../util/hash-file.js';
import { formatDigest, type Expectation, type FetchedSource, type FetchSourceOptions } from './types.js';

export async function useLocalFile(
  path: string,
  url: string,
  expect: Expectation,
  options: FetchSourceOptions,
): Promise<FetchedSource> {
  const { log, signal } = options;
  const info = await stat(path).catch((cause: unknown) => {
    throw new KilnError('E_SOURCE', `${path} does not exist or cannot be read`, {
      cause,
      hint: 'check the path (relative paths are resolved against the template directory)',
    });
  });
  if (!info.isFile()) throw new KilnError('E_SOURCE', `${path} is not a file`);
  if (expect.kind === 'unverified') return { path, url, cached: false };

  const recordPath = verifiedRecordPath(options.cacheDir, path);
  const record = await readRecord<LocalRecord>(recordPath);
  const known = record?.path === path && record.size === info.size && record.mtimeMs === info.mtimeMs ? record : undefined;

  if (expect.kind === 'offline') {
    if (!known) throw expect.reason;
    log.warn(`source: ${expect.reason.message}; using ${path}, which matched ${formatDigest(known)} on ${known.time}`);
    return { path, url, checksum: formatDigest(known), cached: false };
  }

  const { digest } = expect;
  if (known && known.algorithm === digest.algorithm && known.hex === digest.hex) {
    log.debug(`source: ${path} unchanged since it was verified on ${known.time}`);
    return { path, url, checksum: formatDigest(digest), cached: false };
  }
  log.info(`source: verifying ${path} (${digest.algorithm})`);
  const hex = await hashFile(path, digest.algorithm, signal);
  if (hex !== digest.hex) throw checksumMismatch(basename(path), digest, hex, `local file ${path}`);
  const { algorithm } = digest;
  const fresh: LocalRecord = { path, size: info.size, mtimeMs: info.mtimeMs, algorithm, hex, time: new Date().toISOString() };
  // Remembering is an optimisation: a read-only cache only costs a re-hash next time.
  await writeJsonAtomic(recordPath, fresh).catch((e: Error) => log.debug(`source: cannot record verification: ${e.message}`));
  return { path, url, checksum: formatDigest(digest), cached: false };
}
