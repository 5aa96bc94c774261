// The compress post-processor's default levels, apart from its runner so that loading
// a template does not load the compression code.
import type { CompressFormat } from '../template/types.js';

/** gzip's and zstd's own defaults. */
export const DEFAULT_LEVEL: Record<CompressFormat, number> = { 'tar.gz': 6, gz: 6, zst: 3 };
