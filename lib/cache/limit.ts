// The cache's size limit: KILN_CACHE_MAX_SIZE (e.g. 50G), else 20 GiB. After each
// build, least recently used layers are removed until the cache fits.
import { KilnError } from '../errors.js';
import { GIB, parseSize, SIZE_HINT } from '../util/size.js';

export const DEFAULT_CACHE_LIMIT = 20 * GIB;
export const CACHE_LIMIT_ENV = 'KILN_CACHE_MAX_SIZE';

/** Parses a limit as written ("20G", "512M"); a bare number is GiB. Throws E_USAGE naming `from`. */
export function parseCacheLimit(text: string, from: string): number {
  const bytes = parseSize(text, GIB);
  if (bytes === undefined) throw new KilnError('E_USAGE', `${from} is "${text}", which is not a size`, { hint: SIZE_HINT.replace('MiB', 'GiB') });
  return bytes;
}

export function cacheLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[CACHE_LIMIT_ENV]?.trim();
  return text ? parseCacheLimit(text, CACHE_LIMIT_ENV) : DEFAULT_CACHE_LIMIT;
}
