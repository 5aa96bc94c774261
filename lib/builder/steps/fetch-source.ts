import { fetchSource as fetchSourceFile } from '../../source/index.js';
import type { Step } from '../../pipeline/step.js';
import type { SourceFile } from '../../template/types.js';
import { formatSize } from '../../util/size.js';
import type { BuildContext } from '../context.js';

/** Downloads (or finds in the cache) and verifies the installer ISO or the cloud image. */
export function fetchSource(options: { file: SourceFile; cacheDir: string }): Step<BuildContext> {
  return {
    name: 'fetch-source',
    async run(ctx, signal) {
      let lastReport = 0;
      ctx.source = await fetchSourceFile(options.file, {
        cacheDir: options.cacheDir,
        signal,
        log: ctx.log,
        onProgress: (received, total) => {
          const now = Date.now();
          if (now - lastReport < 2000) return;
          lastReport = now;
          ctx.log.info(`downloading: ${formatSize(received)}${total ? ` of ${formatSize(total)}` : ''}`);
        },
      });
      ctx.log.info(`source ${ctx.source.cached ? '(cached) ' : ''}${ctx.source.path}`);
    },
  };
}
