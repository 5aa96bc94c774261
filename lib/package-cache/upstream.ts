// One GET to the mirror, through undici and the build's host proxy routes (kiln's cache
// goes upstream the way kiln's own downloads do: --proxy, proxy.upstream, HTTP(S)_PROXY).
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import type { UrlRecord } from './store.js';

export interface UpstreamAnswer {
  status: number;
  body: Readable;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

/** GET `url`; with `cached`, a conditional GET (a 304 means the cached copy is current). */
export async function getUpstream(url: string, dispatcher: Dispatcher, cached?: UrlRecord): Promise<UpstreamAnswer> {
  const headers: Record<string, string> = { 'user-agent': 'kiln-package-cache' };
  if (cached?.status === 200 && cached.etag) headers['if-none-match'] = cached.etag;
  if (cached?.status === 200 && cached.last_modified) headers['if-modified-since'] = cached.last_modified;
  const answer = await request(url, { method: 'GET', headers, dispatcher, maxRedirections: 5 });
  const header = (name: string): string | undefined => {
    const value = answer.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const contentType = header('content-type');
  const etag = header('etag');
  const lastModified = header('last-modified');
  return {
    status: answer.statusCode,
    body: answer.body,
    ...(contentType ? { contentType } : {}),
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
}
