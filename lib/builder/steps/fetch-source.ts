import { fetchSource as fetchSourceFile } from '../../source/index.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { formatSize } from '../../util/size.js';

/** Downloads (or finds in the cache) and verifies the installer ISO or the cloud image. */
export const fetchSource: Step<BuildContext> = {
  name: 'fetch-source',
  async run(ctx, signal) {
    const { iso, disk } = ctx.template.source;
    const file = need(iso ?? disk, 'source.iso or source.disk');
    let lastReport = 0;
    ctx.source = await fetchSourceFile(file, {
      cacheDir: ctx.options.cacheDir,
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
