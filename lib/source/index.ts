// Public surface of lib/source: get a source file onto disk, verified and cached.
export { fetchSource } from './fetch-source.js';
export { defaultCacheDir } from './cache-layout.js';
export { parseChecksumSpec } from './checksum-spec.js';
export type { FetchedSource, FetchSourceOptions } from './types.js';
