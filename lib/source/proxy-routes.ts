// The undici dispatcher every download of kiln goes through: one undici Agent whose
// per-origin factory hands each origin either a plain connection pool or undici's
// ProxyAgent for the proxy proxy-settings.ts picks for it. Node 20's own fetch ignores
// HTTP(S)_PROXY, and undici's EnvHttpProxyAgent has no place for kiln's precedence or
// its loopback rule, so the choice is kiln's and the proxy protocol undici's: http://
// URLs go to an http:// proxy as absolute-form requests (proxyTunnel: false, as curl
// does; squid refuses CONNECT to port 80 by default), https:// ones through CONNECT.
// Redirects to another host are routed afresh, since the choice is per origin.
import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { redactUrl } from '../util/redact-url.js';
import { describeProxySettings, NO_PROXY_SETTINGS, proxyFor, proxyNameFor, type ProxySettings } from './proxy-settings.js';

export interface ProxyRoute {
  /** The proxy URL as configured (credentials in clear: never print it, use `shown`). */
  proxy: string;
  shown: string;
  /** The setting that named it ("--proxy", "HTTPS_PROXY"...). */
  name: string;
}

export class ProxyRoutes {
  readonly dispatcher: Dispatcher;

  constructor(readonly settings: ProxySettings = NO_PROXY_SETTINGS) {
    this.dispatcher = new Agent({
      factory: (origin, options) => {
        const proxy = proxyFor(settings, new URL(String(origin)));
        return proxy ? new ProxyAgent({ uri: proxy, proxyTunnel: false }) : new Pool(origin, options);
      },
    });
  }

  /** The proxy a download of `url` goes through; undefined when it goes direct. */
  routeFor(url: string): ProxyRoute | undefined {
    const parsed = new URL(url);
    const proxy = proxyFor(this.settings, parsed);
    return proxy ? { proxy, shown: redactUrl(proxy), name: proxyNameFor(this.settings, parsed) ?? 'proxy' } : undefined;
  }

  /** " through proxy http://***:***@host:3128" for messages about `url`, or "". */
  via(url: string): string {
    const route = this.routeFor(url);
    return route ? ` through proxy ${route.shown}` : '';
  }

  /** The log line naming the proxy in use, masked; undefined without one. */
  describe(): string | undefined {
    return describeProxySettings(this.settings);
  }

  /** Drops every connection at once: call when no download is in flight any more. */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }
}
