import { startPackageCache, describeStats } from '../../package-cache/index.js';
import type { Step } from '../../pipeline/step.js';
import { ProxyRoutes } from '../../source/proxy-routes.js';
import { resolveProxySettings, type ProxySettings } from '../../source/proxy-settings.js';
import { packageCacheGuestUrl } from '../../template/placeholders.js';
import type { BuildContext } from '../context.js';

/** apt-cacher-ng's port; another one when taken (a parallel build's cache). */
const PREFERRED_PORT = 3142;

export interface PackageCacheStepOptions {
  cacheDir: string;
  /** --offline: the guest is answered from the store only; anything else fails the build. */
  offline: boolean;
  /** The host proxy kiln's cache goes upstream through; absent: the environment's. */
  proxy?: ProxySettings;
}

/**
 * proxy: cache: starts kiln's caching proxy for the guest on 127.0.0.1, before anything
 * renders {{ .ProxyURL }} (the answer files, the cloud-init seed). It stops in cleanup;
 * the manifest step writes what it served (packages.lock.json, manifest.json).
 */
export function packageCache(options: PackageCacheStepOptions): Step<BuildContext> {
  let routes: ProxyRoutes | undefined;
  return {
    name: 'package-cache',
    async run(ctx) {
      routes = new ProxyRoutes(options.proxy ?? resolveProxySettings({ env: process.env }));
      ctx.packageCache = await startPackageCache({
        cacheDir: options.cacheDir,
        offline: options.offline,
        dispatcher: routes.dispatcher,
        routes,
        preferredPort: PREFERRED_PORT,
        log: ctx.log,
        onOfflineMiss: (error) => ctx.failNow?.(error),
      });
      const upstream = options.offline ? 'offline: answered from the cache only' : (routes.describe() ?? 'upstream direct');
      ctx.log.info(`package cache on http://${ctx.packageCache.host}:${ctx.packageCache.port}/ (guest: ${packageCacheGuestUrl(ctx.packageCache.port)}; ${upstream})`);
    },
    async cleanup(ctx) {
      if (ctx.packageCache) {
        await ctx.packageCache.close();
        ctx.log.info(`package cache: ${describeStats(ctx.packageCache.stats)}`);
      }
      await routes?.close();
    },
  };
}
