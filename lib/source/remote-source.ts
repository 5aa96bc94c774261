// A source given as an http(s) URL: served from the cache when it holds the file,
// otherwise downloaded into it. A cache hit makes no network request at all.
//
// A miss is downloaded holding the entry's lock (util/file-lock.ts), so two builds
// wanting one file download it once: the second waits, then finds the first's file.
// Hits take no lock: the file only ever appears complete, by an atomic rename.
import { readdir, rm, stat } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import { OFFLINE_HINT } from './offline.js';
import { join } from 'node:path';
import { digestEntry, urlEntry, type SourceEntry } from './cache-layout.js';
import { writeJsonAtomic } from '../util/write-atomic.js';
import { withFileLock } from '../util/file-lock.js';
import { redactUrl } from '../util/redact-url.js';
import { readRecord, type RemoteRecord } from './cache-records.js';
import { downloadFile } from './download.js';
import { hashFile } from '../util/hash-file.js';
import { fileNameOf } from './location.js';
import { formatDigest, type Expectation, type FetchedSource, type RoutedFetchOptions } from './types.js';

/** A cache hit, or a miss with what to tell the user before downloading. */
type Lookup = { hit: FetchedSource } | { miss?: string };

export async function useRemoteFile(url: string, expect: Expectation, options: RoutedFetchOptions): Promise<FetchedSource> {
  const { log, signal } = options;
  const shown = redactUrl(url);
  const name = fileNameOf({ kind: 'remote', url });
  const entry =
    expect.kind === 'digest' ? digestEntry(options.cacheDir, expect.digest.algorithm, expect.digest.hex) : urlEntry(options.cacheDir, url);
  const lookup = (): Promise<Lookup> => (expect.kind === 'digest' ? lookupByDigest(entry, shown, name, expect) : lookupByUrl(entry, shown, name, expect, options));

  const first = await lookup();
  const got =
    'hit' in first
      ? first.hit
      : await withFileLock(
          entry.lock,
          async () => {
            // Whoever held the lock may have just put the file there.
            const again = await lookup();
            if ('hit' in again) return again.hit;
            if (options.offline) throw notCached(shown, options.key);
            if (again.miss) log.info(again.miss);
            return download(url, entry, name, expect, options);
          },
          { signal, onWait: (holder) => log.info(`source: waiting for another kiln (pid ${holder.pid}) downloading ${shown}`) },
        );
  // (An offline hit has said so in a warning already.)
  if (got.cached && expect.kind !== 'offline') log.info(`source: using cached ${got.path}${expect.kind === 'unverified' ? ' (not verified)' : ''}`);
  return got;
}

async function lookupByDigest(entry: SourceEntry, shown: string, name: string, expect: Expectation & { kind: 'digest' }): Promise<Lookup> {
  const hit = await completeFileIn(entry.files, name);
  return hit ? { hit: { path: hit, url: shown, checksum: formatDigest(expect.digest), cached: true } } : {};
}

async function lookupByUrl(entry: SourceEntry, shown: string, name: string, expect: Expectation, options: RoutedFetchOptions): Promise<Lookup> {
  const { log } = options;
  const dest = join(entry.files, name);
  const saved = await readRecord(entry.record);
  const record = saved?.url === shown && saved.name === name && (await isFile(dest)) ? saved : undefined;
  const hit = (checksum: string): Lookup => ({ hit: { path: dest, url: shown, checksum, cached: true } });

  if (expect.kind === 'offline') {
    if (!record?.verified) throw expect.reason;
    log.warn(`source: ${expect.reason.message}; using cached ${dest}, which matched ${formatDigest(record)} on ${record.time}`);
    return hit(formatDigest(record));
  }
  if (!record) return {};
  if (expect.kind === 'unverified') return hit(formatDigest(record));
  if (expect.kind !== 'sums') return {};
  const { digest } = expect;
  // A record in another algorithm is settled by hashing the cached copy: no network needed.
  const hex = record.algorithm === digest.algorithm ? record.hex : await hashFile(dest, digest.algorithm, options.signal);
  if (hex !== digest.hex) return { miss: `source: ${redactUrl(digest.from)} now lists ${formatDigest(digest)} for ${name}; the cached copy differs, downloading again` };
  if (!record.verified || record.algorithm !== digest.algorithm) {
    await writeJsonAtomic(entry.record, { ...record, algorithm: digest.algorithm, hex, verified: true } satisfies RemoteRecord);
  }
  return hit(formatDigest(digest));
}

async function download(url: string, entry: SourceEntry, name: string, expect: Expectation, options: RoutedFetchOptions): Promise<FetchedSource> {
  const { log } = options;
  const shown = redactUrl(url);
  const dest = join(entry.files, name);
  log.info(`source: downloading ${shown}${options.routes.via(url)}`);
  if (expect.kind === 'digest') {
    const { digest } = expect;
    await downloadFile(url, dest, { ...options, partials: entry.partials, algorithm: digest.algorithm, expected: digest });
    return { path: dest, url: shown, checksum: formatDigest(digest), cached: false };
  }
  const expected = expect.kind === 'sums' ? expect.digest : undefined;
  // Unverified downloads are still hashed (it costs nothing while streaming) so the digest can be reported.
  const algorithm = expected?.algorithm ?? 'sha256';
  const { hex, endKnown } = await downloadFile(url, dest, {
    ...options,
    partials: entry.partials,
    algorithm,
    expected,
    // The old record describes the old file: it goes first, so a crash never pairs it with the new one.
    beforeRename: () => rm(entry.record, { force: true }),
  });
  const checksum = formatDigest({ algorithm, hex });
  if (!expected && !endKnown) {
    log.warn(
      `source: ${shown} came without a length, so kiln cannot tell whether it arrived whole; it is used for this build but not kept in the cache (give a checksum to keep it)`,
    );
    return { path: dest, url: shown, checksum, cached: false };
  }
  const fresh: RemoteRecord = { url: shown, name, algorithm, hex, verified: !!expected, time: new Date().toISOString() };
  await writeJsonAtomic(entry.record, fresh);
  return { path: dest, url: shown, checksum, cached: false };
}

function notCached(shown: string, key: string | undefined): KilnError {
  return new KilnError('E_DOWNLOAD', `offline: ${shown}${key ? ` (${key})` : ''} is not in kiln's cache`, { hint: OFFLINE_HINT });
}

/** `name` in `dir`, or any other file there (the same bytes under a mirror's other name). */
async function completeFileIn(dir: string, name: string): Promise<string | undefined> {
  if (await isFile(join(dir, name))) return join(dir, name);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    if (await isFile(join(dir, entry))) return join(dir, entry);
  }
  return undefined;
}

const isFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false);
