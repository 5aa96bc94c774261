// GET requests for lib/source, and reading small bodies whole with a bound.
// Every request goes through undici's fetch with the build's ProxyRoutes as dispatcher
// (Node 20's fetch ignores HTTP(S)_PROXY): the one place kiln talks HTTP.
// fetch() refuses URLs with user:password@ (and its error would print them), so
// credentials travel as a Basic Authorization header instead; every URL put into a
// message goes through redactUrl.
import { STATUS_CODES } from 'node:http';
import { fetch, type Response } from 'undici';
import { CancelledError, KilnError, type ErrorCode } from '../errors.js';
import { formatSize } from '../util/size.js';
import { redactUrl, redactUrlsIn } from '../util/redact-url.js';
import { proxyFailure } from './proxy-errors.js';
import type { ProxyRoutes } from './proxy-routes.js';

export type { Response } from 'undici';

export interface GetOptions {
  /** Which proxy, if any, each URL goes through (proxy-routes.ts). */
  routes: ProxyRoutes;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** What is fetched, for messages: "checksum file ", or "" for the source itself. */
  what?: string;
  hint?: string;
}

/**
 * GET `url`, following redirects; a network failure is E_DOWNLOAD naming the (redacted)
 * URL, and a proxy that failed it is named with its answer (proxy-errors.ts).
 */
export async function httpGet(url: string, options: GetOptions): Promise<Response> {
  const { signal, routes } = options;
  const { target, authorization } = splitCredentials(url);
  const headers: Record<string, string> = { 'user-agent': 'kiln', ...options.headers };
  if (authorization) headers.authorization = authorization;
  const route = routes.routeFor(url);
  try {
    return await fetch(target, { headers, signal, redirect: 'follow', dispatcher: routes.dispatcher });
  } catch (cause) {
    if (signal?.aborted) throw new CancelledError();
    const viaProxy = route && proxyFailure(cause, url, route);
    if (viaProxy) throw viaProxy;
    throw new KilnError('E_DOWNLOAD', `cannot reach ${options.what ?? ''}${redactUrl(url)}${routes.via(url)}: ${describe(cause)}`, {
      cause,
      hint: options.hint ?? 'check the URL and the network connection (kiln works offline only with files it has cached or local paths)',
    });
  }
}

/** "404 Not Found": undici leaves statusText undefined on responses relayed by an http:// proxy. */
export const statusLine = (response: Response): string => `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trimEnd();

/** The URL without user info, and that user info as a Basic Authorization header. */
export function splitCredentials(url: string): { target: string; authorization?: string } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { target: url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.href, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export interface ReadLimitedOptions {
  /** What is read, for messages ("checksum file"). */
  what: string;
  /** How to fix a body over the limit. */
  hint: string;
  code?: ErrorCode;
  signal?: AbortSignal;
}

/**
 * The body as text, refusing more than `limit` bytes: by Content-Length before reading,
 * and by counting while reading (a chunked response has no length to check first).
 */
export async function readBodyLimited(response: Response, url: string, limit: number, options: ReadLimitedOptions): Promise<string> {
  const tooLarge = (size: string) =>
    new KilnError(options.code ?? 'E_DOWNLOAD', `${options.what} ${redactUrl(url)} is ${size}, more than kiln reads whole (${formatSize(limit)})`, {
      hint: options.hint,
    });
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (length > limit) {
    await response.body?.cancel();
    throw tooLarge(formatSize(length));
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        received += chunk.byteLength;
        // Throwing out of the loop cancels the stream: the rest is never read.
        if (received > limit) throw tooLarge(`over ${formatSize(limit)}`);
        chunks.push(chunk);
      }
    }
  } catch (cause) {
    if (options.signal?.aborted) throw new CancelledError();
    if (cause instanceof KilnError) throw cause;
    throw new KilnError('E_DOWNLOAD', `reading ${options.what} ${redactUrl(url)} failed after ${received} bytes: ${describe(cause)}`, { cause });
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND...) in cause; URLs in it are redacted. */
export function describe(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error) {
    const code = (inner as NodeJS.ErrnoException).code;
    return redactUrlsIn(code && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message);
  }
  return redactUrlsIn(String(inner));
}
