// Which proxy kiln's downloads use, decided once per build. Pure.
//
// Precedence: --proxy, then the template's proxy.upstream, then the environment
// (http_proxy/HTTP_PROXY for http:// URLs, https_proxy/HTTPS_PROXY for https://, lower
// case first, as curl, Go and undici read them; an empty variable is unset). --proxy or
// proxy.upstream is one proxy for both schemes; "none" means no proxy whatever the
// environment says. NO_PROXY (no-proxy.ts) applies to every source, as in curl.
//
// Loopback destinations (localhost, 127.0.0.0/8, ::1) never go through a proxy from the
// environment (Go's rule): a session-wide proxy is usually another machine, which cannot
// reach this one's loopback. A proxy named for this build (--proxy, proxy.upstream) is
// used for them too, unless NO_PROXY lists them.
import { KilnError } from '../errors.js';
import { GUEST_HOST_IP } from '../template/placeholders.js';
import { redactUrl } from '../util/redact-url.js';
import { bypassesProxy, isLoopback, parseNoProxy, type NoProxyRule } from './no-proxy.js';

export interface ProxySettings {
  /** Proxy URL for http:// downloads (forwarded as absolute-form requests); undefined: direct. */
  http?: string;
  /** Proxy URL for https:// downloads (a CONNECT tunnel); undefined: direct. */
  https?: string;
  /** Where the proxies came from, for messages: "--proxy", "proxy.upstream", "HTTPS_PROXY"... */
  names: { http?: string; https?: string };
  /** True when the proxies come from the environment: loopback destinations then go direct. */
  fromEnvironment: boolean;
  noProxy: NoProxyRule[];
  /** NO_PROXY as written, for the log. */
  noProxyText: string;
}

export interface ProxyInputs {
  /** --proxy: a URL, or "none". */
  flag?: string;
  /** The template's proxy: { upstream } or null for `proxy: none`; undefined when absent (or without upstream). */
  template?: { upstream?: string } | null;
  env: Readonly<Record<string, string | undefined>>;
}

export const NO_PROXY_SETTINGS: ProxySettings = { names: {}, fromEnvironment: false, noProxy: [], noProxyText: '' };

/** The build's proxy settings; a malformed proxy URL is E_USAGE naming where it came from (masked). */
export function resolveProxySettings({ flag, template, env }: ProxyInputs): ProxySettings {
  const noProxy = envVar(env, 'no_proxy');
  const base: ProxySettings = { names: {}, fromEnvironment: false, noProxy: parseNoProxy(noProxy?.value ?? ''), noProxyText: noProxy?.value ?? '' };
  const both = (value: string, name: string): ProxySettings => {
    const url = checkedProxyUrl(value, name);
    return { ...base, http: url, https: url, names: { http: name, https: name } };
  };
  if (flag !== undefined) return flag === 'none' ? base : both(flag, '--proxy');
  if (template === null) return base;
  if (template?.upstream !== undefined) return both(template.upstream, 'proxy.upstream');
  const http = envVar(env, 'http_proxy');
  const https = envVar(env, 'https_proxy');
  if (!http && !https) return base;
  return {
    ...base,
    fromEnvironment: true,
    ...(http ? { http: checkedProxyUrl(http.value, http.name) } : {}),
    ...(https ? { https: checkedProxyUrl(https.value, https.name) } : {}),
    names: { ...(http ? { http: http.name } : {}), ...(https ? { https: https.name } : {}) },
  };
}

/** The proxy a download of `url` goes through, or undefined for a direct connection. */
export function proxyFor(settings: ProxySettings, url: URL): string | undefined {
  const proxy = url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (!proxy || bypassesProxy(url, settings.noProxy)) return undefined;
  if (settings.fromEnvironment && isLoopback(url)) return undefined;
  return proxy;
}

/** Which setting named the proxy `url` goes through ("HTTPS_PROXY", "--proxy"...). */
export const proxyNameFor = (settings: ProxySettings, url: URL): string | undefined =>
  url.protocol === 'https:' ? settings.names.https : settings.names.http;

export type ProxyUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * A proxy URL as kiln uses it: "http://[user:password@]host[:port]" or https://. A bare
 * "host:port" means http:// (curl's reading); the port defaults to the scheme's (80, 443).
 */
export function parseProxyUrl(text: string): ProxyUrlCheck {
  const written = withScheme(text.trim());
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return { ok: false, reason: 'it does not parse as a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `kiln talks to http:// and https:// proxies, not ${url.protocol}//` };
  }
  if (!url.hostname) return { ok: false, reason: 'it names no host' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, reason: 'a proxy URL has no path, query or fragment: give scheme://[user:password@]host:port' };
  }
  const auth = url.username || url.password ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return { ok: true, url: `${url.protocol}//${auth}${url.host}` };
}

/** The proxy as the guest reaches it ({{ .HTTPProxy }}): the http proxy, else the https one; this host's loopback becomes 10.0.2.2. */
export function guestProxyUrl(settings: ProxySettings): string {
  const proxy = settings.http ?? settings.https;
  if (!proxy) return '';
  const url = new URL(proxy);
  if (!isLoopback(url)) return proxy;
  url.hostname = GUEST_HOST_IP;
  return url.href.replace(/\/$/, '');
}

/** The user's proxy passwords, decoded: the build's Masker hides them in any form (short ones would mask too much). */
export function proxySecrets(settings: ProxySettings): string[] {
  const passwords = [settings.http, settings.https].map((proxy) => (proxy ? decodeURIComponent(new URL(proxy).password) : ''));
  return [...new Set(passwords.filter((p) => p.length >= 4))];
}

/** One log line saying which proxy the downloads use (credentials masked), or undefined for none. */
export function describeProxySettings(settings: ProxySettings): string | undefined {
  const { http, https, names } = settings;
  if (!http && !https) return undefined;
  const shown = (proxy: string | undefined, name: string | undefined) => (proxy ? `${redactUrl(proxy)} (${name})` : 'direct');
  const routes = http === https && names.http === names.https ? `${shown(http, names.http)} for http and https` : `http: ${shown(http, names.http)}, https: ${shown(https, names.https)}`;
  const direct = [settings.fromEnvironment ? 'loopback hosts' : '', settings.noProxyText.trim() ? `NO_PROXY (${settings.noProxyText.trim()})` : '']
    .filter(Boolean)
    .join(' and ');
  return `proxy: ${routes}${direct ? `; ${direct} go direct` : ''}`;
}

function checkedProxyUrl(value: string, name: string): string {
  const check = parseProxyUrl(value);
  if (check.ok) return check.url;
  throw new KilnError('E_USAGE', `${name} is not a proxy URL: ${redactUrl(withScheme(value.trim()))}: ${check.reason}`, {
    hint: `give ${name} as http://[user:password@]host:port${name === '--proxy' ? ', or none' : ''}`,
  });
}

/** curl reads a proxy without a scheme as http://. */
const withScheme = (text: string): string => (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);

/** The variable, lower case first; empty counts as unset. */
function envVar(env: ProxyInputs['env'], lower: string): { name: string; value: string } | undefined {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value };
  }
  return undefined;
}
