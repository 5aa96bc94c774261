// undici's failures of a proxied request, as KilnErrors that name the proxy (masked),
// what it answered and where to fix it. undici reports a refused CONNECT as
// "Proxy response (407) !== 200 when HTTP Tunneling" and a 407 to a forwarded request
// as "Proxy Authentication Required (407)"; a proxy that cannot be reached fails like
// any connection (ECONNREFUSED...), on the proxy's own address.
import { KilnError } from '../errors.js';
import { redactUrl } from '../util/redact-url.js';
import type { ProxyRoute } from './proxy-routes.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** A KilnError for `error` when the proxy is what failed `url`; undefined when it is something else. */
export function proxyFailure(error: unknown, url: string, route: ProxyRoute): KilnError | undefined {
  const proxy = new URL(route.proxy);
  const target = new URL(url);
  const status = proxyStatus(error);
  const settings = route.name === 'proxy.upstream' ? "the template's proxy.upstream" : route.name;
  const goDirect = `or list ${target.hostname} in NO_PROXY to download it without the proxy`;
  if (status !== undefined) {
    const asked = target.protocol === 'https:' ? `CONNECT ${target.host.includes(':') ? target.host : `${target.host}:443`}` : `GET ${redactUrl(url)}`;
    return new KilnError('E_DOWNLOAD', `proxy ${route.shown} (${route.name}) answered ${[status, reason(status)].filter(Boolean).join(' ')} to ${asked}`, {
      cause: error,
      hint: statusHint(status, settings, proxy, goDirect),
    });
  }
  const failed = innermost(error, (e) => UNREACHABLE.has(String((e as NodeJS.ErrnoException).code)));
  if (!failed || !isAboutProxy(failed as NodeJS.ErrnoException & { port?: number; hostname?: string }, proxy)) return undefined;
  const code = (failed as NodeJS.ErrnoException).code!;
  return new KilnError('E_DOWNLOAD', `cannot reach proxy ${route.shown} (${route.name}) for ${redactUrl(url)}: ${failed.message.includes(code) ? failed.message : `${failed.message} (${code})`}`, {
    cause: error,
    hint: `check that the proxy runs and that ${settings} names it (host and port), ${goDirect}, or build with --proxy none to use no proxy`,
  });
}

/** The status code a proxy refused with, from undici's messages. */
function proxyStatus(error: unknown): number | undefined {
  const found = innermost(error, (e) => /Proxy response \(\d{3}\)|Proxy Authentication Required \(407\)/.test(e.message));
  const match = found && /\((\d{3})\)/.exec(found.message);
  return match ? Number(match[1]) : undefined;
}

function statusHint(status: number, settings: string, proxy: URL, goDirect: string): string {
  // tinyproxy answers a CONNECT with wrong credentials 401, not 407.
  if (status === 407 || status === 401) {
    return proxy.username
      ? `the proxy refused the user name and password in ${settings}: check them (percent-encode characters such as @ : / in them)`
      : // Not written as a URL: the Masker would mask the example's user:password too.
        `the proxy wants a login: put user:password@ before the host in ${settings}`;
  }
  if (status === 403) return `the proxy does not allow this destination (squid, for one, allows CONNECT only to port 443 by default): ask for it to be allowed, ${goDirect}`;
  return `the proxy could not fetch it for kiln: check the URL and ${settings}, ${goDirect}`;
}

function reason(status: number): string {
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 407: 'Proxy Authentication Required', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  return reasons[status] ?? '';
}

/** Whether a connection error happened on the proxy's address (undici puts no address on some: those count). */
function isAboutProxy(error: { port?: number; hostname?: string; address?: string }, proxy: URL): boolean {
  const port = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  if (error.port !== undefined && error.port !== port) return false;
  if (error.hostname !== undefined && error.hostname !== proxy.hostname) return false;
  return true;
}

/** The deepest error along `cause` that passes `test`. */
function innermost(error: unknown, test: (e: Error) => boolean): Error | undefined {
  let found: Error | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (test(e)) found = e;
  return found;
}
