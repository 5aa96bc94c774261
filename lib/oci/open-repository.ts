// A RegistryClient for a reference, set up from the command line and the environment:
// credentials (credentials.ts), the CA to trust (transport.ts), plain HTTP on request.
import type { Dispatcher } from 'undici';
import { redactUrl } from '../util/redact-url.js';
import { proxyFor, type ProxySettings } from '../source/proxy-settings.js';
import { credentialsFor } from './credentials.js';
import { RegistryClient } from './client.js';
import type { ImageReference } from './reference.js';
import { registryDispatcher } from './transport.js';

export interface RegistryAccess {
  username?: string;
  /** Read from stdin by the CLI (--password-stdin), never from a flag. */
  password?: string;
  caFile?: string;
  plainHttp?: boolean;
  /** The proxy settings (--proxy, HTTP(S)_PROXY); none: direct. */
  proxy?: ProxySettings;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  trace?: (line: string) => void;
}

export interface OpenRepository {
  client: RegistryClient;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export async function openRepository(ref: ImageReference, access: 'pull' | 'push', options: RegistryAccess): Promise<OpenRepository> {
  const credentials = await credentialsFor(ref.registry, { env: options.env, ...(options.username !== undefined ? { username: options.username } : {}), ...(options.password !== undefined ? { password: options.password } : {}) });
  const dispatcher = await registryDispatcher({ env: options.env, ...(options.caFile ? { caFile: options.caFile } : {}), ...(options.proxy ? { proxy: options.proxy } : {}) });
  const proxy = options.proxy && proxyFor(options.proxy, new URL(`${options.plainHttp ? 'http' : 'https'}://${ref.registry}/`));
  const client = new RegistryClient({
    registry: ref.registry,
    repository: ref.repository,
    access,
    dispatcher,
    ...(credentials ? { credentials } : {}),
    ...(options.plainHttp ? { plainHttp: true } : {}),
    ...(proxy ? { proxy: redactUrl(proxy) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
  return { client, dispatcher, close: () => dispatcher.close() };
}
