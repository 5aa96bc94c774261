// What the package cache answers for one URL: from the store, or fetched upstream and
// stored first. Packages are immutable by URL; index files are revalidated upstream
// (a conditional GET) when online and served as stored (pinned) offline.
import type { Dispatcher } from 'undici';
import { KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import { redactUrl } from '../util/redact-url.js';
import { isIndexFile } from './index-files.js';
import type { PackageStore, UrlRecord } from './store.js';
import { getUpstream } from './upstream.js';

export type Outcome = 'hit' | 'revalidated' | 'miss';

export interface Resolved {
  record: UrlRecord;
  outcome: Outcome;
  /** Bytes this resolution fetched upstream. */
  upstreamBytes: number;
  /** An upstream answer passed to the guest as it came (a 403, a 500), neither stored nor recorded. */
  passthrough?: true;
}

export interface ResolveContext {
  store: PackageStore;
  dispatcher: Dispatcher;
  offline: boolean;
  log: Log;
}

/** Answers a mirror gives for files it does not have: stored so that offline answers them the same. */
const STORABLE_ABSENT = new Set([404, 410]);

export class OfflineMiss extends KilnError {
  constructor(readonly url: string) {
    super('E_PACKAGE_CACHE', `offline: ${redactUrl(url)} requested by the guest is not in kiln's package cache`, {
      hint: 'record it with a build online (proxy: cache) and carry the cache over with kiln bundle export and kiln bundle import, or build without --offline',
    });
    this.name = 'OfflineMiss';
  }
}

export async function resolveUrl(url: string, c: ResolveContext): Promise<Resolved> {
  const cached = await c.store.lookup(url);
  // A stored 404 is revalidated like an index: the mirror may have the file by now.
  const changes = isIndexFile(url) || (cached !== undefined && cached.status !== 200);
  if (cached && (c.offline || !changes)) return { record: cached, outcome: 'hit', upstreamBytes: 0 };
  if (c.offline) throw new OfflineMiss(url);
  let answer;
  try {
    answer = await getUpstream(url, c.dispatcher, cached);
  } catch (error) {
    if (!cached) throw upstreamFailure(url, error);
    c.log.warn(`package cache: cannot revalidate ${redactUrl(url)} (${messageOf(error)}): serving the stored copy`);
    return { record: cached, outcome: 'hit', upstreamBytes: 0 };
  }
  if (answer.status === 200) {
    const record = await c.store.saveBody(url, answer.body, answer);
    return { record, outcome: 'miss', upstreamBytes: record.size ?? 0 };
  }
  answer.body.resume();
  if (answer.status === 304 && cached) return { record: cached, outcome: 'revalidated', upstreamBytes: 0 };
  const record: UrlRecord = { url, status: answer.status, fetched: new Date().toISOString() };
  if (STORABLE_ABSENT.has(answer.status)) {
    await c.store.saveRecord(record);
    return { record, outcome: 'miss', upstreamBytes: 0 };
  }
  if (cached) {
    c.log.warn(`package cache: ${redactUrl(url)} answered ${answer.status} upstream: serving the stored copy`);
    return { record: cached, outcome: 'hit', upstreamBytes: 0 };
  }
  return { record, outcome: 'miss', upstreamBytes: 0, passthrough: true };
}

function upstreamFailure(url: string, error: unknown): KilnError {
  return new KilnError('E_PACKAGE_CACHE', `package cache: cannot fetch ${redactUrl(url)} for the guest: ${messageOf(error)}`, {
    cause: error,
    hint: 'check that the mirror is reachable from this host (and the host proxy, if one is set)',
  });
}

function messageOf(error: unknown): string {
  const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
