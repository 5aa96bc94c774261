// A source given as an http(s) URL: served from the cache when it holds the file,
// otherwise downloaded into it. A cache hit makes no network request at all.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { digestCacheDir, PARTIAL_SUFFIX, REMOTE_RECORD, urlCacheDir } from './cache-layout.js';
import { writeJsonAtomic } from '../util/write-json-atomic.js';
import { readRecord, type RemoteRecord } from './cache-records.js';
import { downloadFile } from './download.js';
import { hashFile } from '../util/hash-file.js';
import { fileNameOf } from './location.js';
import { formatDigest, type Expectation, type FetchedSource, type FetchSourceOptions } from './types.js';

export async function useRemoteFile(url: string, expect: Expectation, options: FetchSourceOptions): Promise<FetchedSource> {
  const { log } = options;
  const name = fileNameOf({ kind: 'remote', url });

  if (expect.kind === 'digest') {
    const { digest } = expect;
    const dir = digestCacheDir(options.cacheDir, digest.algorithm, digest.hex);
    const checksum = formatDigest(digest);
    const hit = await completeFileIn(dir, name);
    if (hit) {
      log.info(`source: using cached ${hit}`);
      return { path: hit, url, checksum, cached: true };
    }
    const dest = join(dir, name);
    log.info(`source: downloading ${url}`);
    await downloadFile(url, dest, { ...options, algorithm: digest.algorithm, expected: digest });
    return { path: dest, url, checksum, cached: false };
  }

  const dir = urlCacheDir(options.cacheDir, url);
  const dest = join(dir, name);
  const recordPath = join(dir, REMOTE_RECORD);
  const saved = await readRecord<RemoteRecord>(recordPath);
  const record = saved?.url === url && saved.name === name && (await isFile(dest)) ? saved : undefined;

  if (expect.kind === 'offline') {
    if (!record?.verified) throw expect.reason;
    log.warn(`source: ${expect.reason.message}; using cached ${dest}, which matched ${formatDigest(record)} on ${record.time}`);
    return { path: dest, url, checksum: formatDigest(record), cached: true };
  }
  if (record && expect.kind === 'unverified') {
    log.info(`source: using cached ${dest} (not verified)`);
    return { path: dest, url, checksum: formatDigest(record), cached: true };
  }
  if (record && expect.kind === 'sums') {
    const { digest } = expect;
    // A record in another algorithm is settled by hashing the cached copy: no network needed.
    const hex = record.algorithm === digest.algorithm ? record.hex : await hashFile(dest, digest.algorithm, options.signal);
    if (hex === digest.hex) {
      if (!record.verified || record.algorithm !== digest.algorithm) {
        await writeJsonAtomic(recordPath, { ...record, algorithm: digest.algorithm, hex, verified: true } satisfies RemoteRecord);
      }
      log.info(`source: using cached ${dest}`);
      return { path: dest, url, checksum: formatDigest(digest), cached: true };
    }
    log.info(`source: ${digest.from} now lists ${formatDigest(digest)} for ${name}; the cached copy differs, downloading again`);
    await rm(dest, { force: true });
  }

  const expected = expect.kind === 'sums' ? expect.digest : undefined;
  // Unverified downloads are still hashed (it costs nothing while streaming) so the digest can be reported.
  const algorithm = expected?.algorithm ?? 'sha256';
  log.info(`source: downloading ${url}`);
  const hex = await downloadFile(url, dest, { ...options, algorithm, expected });
  const fresh: RemoteRecord = { url, name, algorithm, hex, verified: !!expected, time: new Date().toISOString() };
  await writeJsonAtomic(recordPath, fresh);
  return { path: dest, url, checksum: formatDigest(fresh), cached: false };
}

/** `name` in `dir`, or any other complete file there (the same bytes under a mirror's other name). */
async function completeFileIn(dir: string, name: string): Promise<string | undefined> {
  if (await isFile(join(dir, name))) return join(dir, name);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    if (entry.endsWith(PARTIAL_SUFFIX) || entry.startsWith('.')) continue;
    if (await isFile(join(dir, entry))) return join(dir, entry);
  }
  return undefined;
}

const isFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false);
