// kiln build's --cache-from/--cache-to as the build's sharedCache option. The registry is
// reached with the credentials of the auth files (REGISTRY_AUTH_FILE, containers/auth.json,
// ~/.docker/config.json) and the CAs of SSL_CERT_FILE (a build's stdin is the guest's),
// through --proxy or HTTP(S)_PROXY as the build's downloads.
import type { BuildArgs } from './args.js';
import type { SharedCacheOptions } from '../shared-cache/share.js';
import { parseCacheRef } from '../shared-cache/remote-layer.js';
import { resolveProxySettings } from '../source/proxy-settings.js';

export function sharedCacheFlags(args: Pick<BuildArgs, 'cacheFrom' | 'cacheTo' | 'proxy'>, signal: AbortSignal): { sharedCache?: SharedCacheOptions } {
  if (args.cacheFrom === undefined && args.cacheTo === undefined) return {};
  return {
    sharedCache: {
      ...(args.cacheFrom !== undefined ? { from: parseCacheRef('cache-from', args.cacheFrom) } : {}),
      ...(args.cacheTo !== undefined ? { to: parseCacheRef('cache-to', args.cacheTo) } : {}),
      access: { env: process.env, signal, proxy: resolveProxySettings({ flag: args.proxy, env: process.env }) },
    },
  };
}
