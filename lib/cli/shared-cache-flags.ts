// kiln build's --cache-from/--cache-to as the build's sharedCache option. The registry is
// reached with the credentials of the auth files (REGISTRY_AUTH_FILE, containers/auth.json,
// ~/.docker/config.json) and the CAs of SSL_CERT_FILE: a build's stdin is the guest's.
import type { BuildArgs } from './args.js';
import type { SharedCacheOptions } from '../shared-cache/share.js';
import { parseCacheRef } from '../shared-cache/remote-layer.js';

export function sharedCacheFlags(args: Pick<BuildArgs, 'cacheFrom' | 'cacheTo'>, signal: AbortSignal): { sharedCache?: SharedCacheOptions } {
  if (args.cacheFrom === undefined && args.cacheTo === undefined) return {};
  return {
    sharedCache: {
      ...(args.cacheFrom !== undefined ? { from: parseCacheRef('cache-from', args.cacheFrom) } : {}),
      ...(args.cacheTo !== undefined ? { to: parseCacheRef('cache-to', args.cacheTo) } : {}),
      access: { env: process.env, signal },
    },
  };
}
