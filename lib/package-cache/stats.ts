// What the package cache did in one build, for manifest.json and build.log.

export interface PackageCacheStats {
  /** Requests the guest made (each CONNECT counts once). */
  requests: number;
  /** Answered from the store without asking upstream. */
  hits: number;
  /** Index files the mirror confirmed unchanged (304): served from the store. */
  revalidated: number;
  /** Fetched upstream (new files, and index files that changed). */
  misses: number;
  /** CONNECT tunnels passed through: their bytes are encrypted and cannot be cached. */
  uncacheable: number;
  /** Requests answered with an error (upstream unreachable, not recorded offline, malformed). */
  errors: number;
  bytes_upstream: number;
  bytes_served: number;
}

export const emptyStats = (): PackageCacheStats => ({ requests: 0, hits: 0, revalidated: 0, misses: 0, uncacheable: 0, errors: 0, bytes_upstream: 0, bytes_served: 0 });

/** "12 requests: 9 hits, 3 misses, 0 uncacheable; 1.2 MiB upstream, 4.0 MiB served". */
export function describeStats(s: PackageCacheStats): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const revalidated = s.revalidated ? ` (+${s.revalidated} revalidated)` : '';
  const errors = s.errors ? `, ${s.errors} errors` : '';
  return `${s.requests} requests: ${s.hits} hits${revalidated}, ${s.misses} misses, ${s.uncacheable} uncacheable${errors}; ${mib(s.bytes_upstream)} upstream, ${mib(s.bytes_served)} served`;
}
