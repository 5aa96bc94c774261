import { fetchSource as fetchSourceFile } from '../../source/index.js';
import { ProxyRoutes } from '../../source/proxy-routes.js';
import { resolveProxySettings, type ProxySettings } from '../../source/proxy-settings.js';
import type { Step } from '../../pipeline/step.js';
import type { SourceFile } from '../../template/types.js';
import { formatSize } from '../../util/size.js';
import type { BuildContext } from '../context.js';

/**
 * Downloads (or finds in the cache) and verifies the installer ISO or the cloud image,
 * through the build's proxy (`proxy`; without one, the environment's). It owns the
 * connections: they are dropped when it ends.
 */
export function fetchSource(options: { file: SourceFile; key: string; cacheDir: string; proxy?: ProxySettings; offline?: boolean }): Step<BuildContext> {
  return {
    name: 'fetch-source',
    async run(ctx, signal) {
      const routes = new ProxyRoutes(options.proxy ?? resolveProxySettings({ env: process.env }));
      const uses = routes.describe();
      if (options.offline) ctx.log.info('offline: sources come from the cache only');
      else if (uses) ctx.log.info(uses);
      let lastReport = 0;
      try {
        ctx.source = await fetchSourceFile(options.file, {
          cacheDir: options.cacheDir,
          key: options.key,
          offline: options.offline ?? false,
          signal,
          log: ctx.log,
          routes,
          onProgress: (received, total) => {
            const now = Date.now();
            if (now - lastReport < 2000) return;
            lastReport = now;
            ctx.log.info(`downloading: ${formatSize(received)}${total ? ` of ${formatSize(total)}` : ''}`);
          },
        });
      } finally {
        await routes.close();
      }
      ctx.log.info(`source ${ctx.source.cached ? '(cached) ' : ''}${ctx.source.path}`);
    },
  };
}
