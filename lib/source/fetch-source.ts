// Gets a source file (ISO or disk image) onto local disk, verified as its checksum
// says: `source.urls` are tried in order; each failure is logged and the next tried.
import { CancelledError, KilnError } from '../errors.js';
import type { ChecksumSpec, SourceFile } from '../template/types.js';
import { readChecksumFile } from './checksum-file.js';
import { redactUrl } from '../util/redact-url.js';
import { describe } from './http-get.js';
import { ProxyRoutes } from './proxy-routes.js';
import { resolveProxySettings } from './proxy-settings.js';
import { useLocalFile } from './local-source.js';
import { parseLocation, type Location } from './location.js';
import { OFFLINE_HINT } from './offline.js';
import { useRemoteFile } from './remote-source.js';
import { sumsTargetOf } from './sums-target.js';
import { findSumsEntry, parseSums } from './sums-file.js';
import { formatDigest, type Expectation, type FetchedSource, type FetchSourceOptions, type RoutedFetchOptions } from './types.js';

type Sums = { text: string } | { error: KilnError };

export async function fetchSource(source: SourceFile, options: FetchSourceOptions): Promise<FetchedSource> {
  if (source.urls.length === 0) {
    throw new KilnError('E_SOURCE', 'the source lists no URL or path', { hint: 'give url: or urls: in the source' });
  }
  if (options.routes) return fetchRouted(source, { ...options, routes: options.routes });
  // Called without the build's routes: the environment's proxies, like curl.
  const routes = new ProxyRoutes(resolveProxySettings({ env: process.env }));
  try {
    return await fetchRouted(source, { ...options, routes });
  } finally {
    await routes.close();
  }
}

async function fetchRouted(source: SourceFile, options: RoutedFetchOptions): Promise<FetchedSource> {
  const { checksum } = source;
  const { log, signal, routes } = options;
  if (checksum.kind === 'none') log.warn('source: checksum is "none": the source file will not be verified');
  const sums = checksum.kind === 'file' ? await loadSums(checksum.location, routes, signal, options.offline) : undefined;

  const failures: { url: string; error: KilnError }[] = [];
  for (const url of source.urls) {
    if (signal?.aborted) throw new CancelledError();
    try {
      const location = parseLocation(url);
      const expect = expectationFor(checksum, sums, location);
      return location.kind === 'local'
        ? await useLocalFile(location.path, url, expect, options)
        : await useRemoteFile(location.url, expect, options);
    } catch (error) {
      if (signal?.aborted) throw error instanceof CancelledError ? error : new CancelledError();
      const failure = error instanceof KilnError ? error : new KilnError('E_DOWNLOAD', describe(error), { cause: error });
      failures.push({ url, error: failure });
      log.warn(`source: ${redactUrl(url)}: ${failure.message}`);
    }
  }
  // Offline with nothing verified before: the unreachable SUMS file is the one thing to report.
  if (sums && 'error' in sums && failures.every((f) => f.error === sums.error)) throw sums.error;
  throw allFailed(failures);
}

async function loadSums(location: string, routes: ProxyRoutes, signal?: AbortSignal, offline = false): Promise<Sums> {
  if (offline && parseLocation(location).kind === 'remote') {
    const message = `offline: kiln's cache holds no copy verified against the checksum file ${redactUrl(location)}`;
    return { error: new KilnError('E_DOWNLOAD', message, { hint: OFFLINE_HINT }) };
  }
  try {
    return { text: await readChecksumFile(location, { routes, signal }) };
  } catch (error) {
    if (error instanceof KilnError && !(error instanceof CancelledError)) return { error };
    throw error;
  }
}

function expectationFor(spec: ChecksumSpec, sums: Sums | undefined, location: Location): Expectation {
  if (spec.kind === 'digest') {
    return { kind: 'digest', digest: { algorithm: spec.algorithm, hex: spec.hex, from: 'the template' } };
  }
  if (spec.kind === 'none') return { kind: 'unverified' };
  if (!sums || 'error' in sums) return { kind: 'offline', reason: sums?.error ?? new Error('no checksum file') };
  const sumsAt = redactUrl(spec.location);
  const target = sumsTargetOf(location, spec.location);
  const fileName = target.relative ?? target.segments.at(-1)!;
  const match = findSumsEntry(sums.text, target, spec.algorithm);
  if (match.kind === 'ambiguous') {
    const listed = match.entries.map((e) => `${e.name} (${formatDigest(e)})`).join(', ');
    throw new KilnError('E_CHECKSUM', `checksum file ${sumsAt} is ambiguous for "${fileName}": ${listed}`, {
      hint: 'entries are matched on their path below the checksum file\'s folder: give the URL of the checksum file in the folder its names are relative to, or write the digest itself (sha256:<hex>)',
    });
  }
  if (match.kind === 'missing') {
    const empty = parseSums(sums.text).length === 0;
    const what = spec.algorithm ? `${spec.algorithm} entry` : 'entry';
    throw new KilnError(
      'E_CHECKSUM',
      empty
        ? `checksum file ${sumsAt} contains no checksum lines (looking for "${fileName}")`
        : `checksum file ${sumsAt} has no ${what} for "${fileName}"`,
      {
        hint: empty
          ? 'make sure "file:" names the SUMS file itself, not a web page about it'
          : 'the file name at the end of the URL must be listed in the checksum file: check both, or write the digest itself (sha256:<hex>)',
      },
    );
  }
  const { entry } = match;
  return { kind: 'sums', digest: { algorithm: entry.algorithm, hex: entry.hex, from: sumsAt } };
}

/** One location: its own error. Several: one error listing each location and why it failed. */
function allFailed(failures: { url: string; error: KilnError }[]): KilnError {
  if (failures.length === 1) return failures[0]!.error;
  const codes = new Set(failures.map((f) => f.error.code));
  const code = codes.size === 1 ? failures[0]!.error.code : 'E_DOWNLOAD';
  const lines = failures.map((f) => `  ${redactUrl(f.url)}: ${f.error.message}`);
  return new KilnError(code, [`cannot get the source from any of its ${failures.length} locations:`, ...lines].join('\n'), {
    cause: new AggregateError(failures.map((f) => f.error)),
    hint: 'fix or drop the failing locations, or download the file yourself and list its local path first',
  });
}
