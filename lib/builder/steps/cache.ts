import { BuildCache, type BuildCacheOptions } from '../../cache/build-cache.js';
import { KilnError } from '../../errors.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/** What the build knows before it starts; the source comes from fetch-source. */
export type CacheOptions = Omit<BuildCacheOptions, 'source' | 'log' | 'signal' | 'onStored'>;

/**
 * Works out each stage's cache key, finds the longest verified chain of cached layers
 * and says where the build resumes and why the next stage runs. Cleanup settles the
 * layers this build wrote, removes unfinished ones and prunes the cache to its limit.
 */
export function cacheLookup(options: CacheOptions): Step<BuildContext> {
  return {
    name: 'cache',
    async run(ctx, signal) {
      const source = need(ctx.source, 'source');
      try {
        const cache = await BuildCache.open({ ...options, source, log: ctx.log, signal, onStored: (stage, layer) => ctx.emit({ type: 'checkpoint', stage, layer }) });
        ctx.cache = cache;
        const { stages, chain, reason } = cache.plan;
        ctx.emit({
          type: 'cache',
          resumed_from: chain.length > 0 ? (stages[chain.length - 1]?.label ?? null) : null,
          cached: chain.length,
          stages: stages.length,
          ...(reason !== undefined ? { next: reason } : {}),
        });
      } catch (error) {
        // Template inputs that cannot be read fail the build; a cache directory that cannot
        // be written only costs the time the cache would have saved.
        if (error instanceof KilnError || signal.aborted) throw error;
        ctx.log.warn(`cache: not used in this build: ${(error as Error).message}`);
      }
    },
    async cleanup(ctx, info) {
      await ctx.cache?.close(info);
    },
  };
}
