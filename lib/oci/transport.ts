// The undici dispatcher registry requests go through. Node reads neither --ca-file nor
// SSL_CERT_FILE on its own (the latter only with --use-openssl-ca), so kiln adds the
// certificates of both to Node's bundled roots: a registry signed by a company CA, or a
// self-signed one for a lab, is trusted without turning verification off. Proxies are
// chosen per origin as for downloads (lib/source/proxy-settings.ts): an https registry
// through a CONNECT tunnel, TLS checked end to end with the same CAs.
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { KilnError } from '../errors.js';
import { NO_PROXY_SETTINGS, proxyFor, type ProxySettings } from '../source/proxy-settings.js';

export interface TransportOptions {
  /** --ca-file: PEM certificates to trust besides the system's. */
  caFile?: string;
  env: NodeJS.ProcessEnv;
  /** --proxy, else HTTP(S)_PROXY and NO_PROXY; none: direct. */
  proxy?: ProxySettings;
}

// Big blobs: the registry may take a while to answer a PUT that ends an upload.
const TIMEOUTS = { headersTimeout: 10 * 60_000, bodyTimeout: 10 * 60_000 };

export async function registryDispatcher(options: TransportOptions): Promise<Dispatcher> {
  const files = [options.caFile, options.env.SSL_CERT_FILE].filter((f): f is string => Boolean(f));
  const extra: string[] = [];
  for (const [index, file] of files.entries()) {
    const flag = index === 0 && options.caFile ? '--ca-file' : 'SSL_CERT_FILE';
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new KilnError('E_USAGE', `${flag} ${file} cannot be read: ${error.message}`, { cause: error, hint: `give the PEM file of the CA that signed the registry's certificate` });
    });
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      throw new KilnError('E_USAGE', `${flag} ${file} holds no PEM certificate`, { hint: 'convert a DER certificate first: openssl x509 -inform der -in ca.der -out ca.pem' });
    }
    extra.push(text);
  }
  const tls = extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
  const settings = options.proxy ?? NO_PROXY_SETTINGS;
  return new Agent({
    connect: tls,
    ...TIMEOUTS,
    factory: (origin, agentOptions) => {
      const proxy = proxyFor(settings, new URL(String(origin)));
      return proxy ? new ProxyAgent({ uri: proxy, proxyTunnel: false, requestTls: tls, ...TIMEOUTS }) : new Pool(origin, agentOptions);
    },
  });
}
