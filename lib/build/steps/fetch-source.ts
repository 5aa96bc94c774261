import { fetchSource as fetchSourceFile } from '../../source/index.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

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
        const mib = (n: number) => (n / 1048576).toFixed(0);
        ctx.log.info(`downloading: ${mib(received)}${total ? ` of ${mib(total)}` : ''} MiB`);
      },
    });
    ctx.log.info(`source ${ctx.source.cached ? '(cached) ' : ''}${ctx.source.path}`);
  },
};
