// Shapes shared by the source-fetching modules and the steps that call fetchSource.
import type { ChecksumAlgorithm } from '../template/types.js';
import type { Log } from '../log/log.js';
import type { ProxyRoutes } from './proxy-routes.js';

export interface FetchSourceOptions {
  /** Root of kiln's cache; see defaultCacheDir(). */
  cacheDir: string;
  signal?: AbortSignal;
  log: Log;
  /**
   * Which proxy, if any, each download goes through (the build's, from --proxy, the
   * template or the environment). Absent: the environment's, as curl reads it, for the
   * length of the call.
   */
  routes?: ProxyRoutes;
  /** Bytes received so far (including resumed bytes) and the total when the server said. */
  onProgress?: (received: number, total?: number) => void;
  /**
   * --offline: no network at all. A remote file comes from the cache or fails at once,
   * naming its URL; a remote SUMS file is not read, so only a copy it verified on an
   * earlier build will do.
   */
  offline?: boolean;
  /** The template key that names the source, for messages ("source.iso"). */
  key?: string;
}

/** FetchSourceOptions once fetchSource has settled the routes. */
export type RoutedFetchOptions = FetchSourceOptions & { routes: ProxyRoutes };

export interface FetchedSource {
  /** Absolute path of the file to use: the local file itself, or the cache entry. */
  path: string;
  /** The entry of `source.urls` that produced it, credentials masked (redactUrl): it is for records and messages. */
  url: string;
  /** "<algorithm>:<hex>" of the file as hashed (or as recorded when it was hashed); absent when never hashed. */
  checksum?: string;
  /** True when no download happened because the cache already held the file. */
  cached: boolean;
}

/** The digest a file must have, and where that expectation came from (for messages). */
export interface ExpectedDigest {
  algorithm: ChecksumAlgorithm;
  hex: string;
  /** "the template", or the location of the SUMS file. */
  from: string;
}

export const formatDigest = (d: { algorithm: ChecksumAlgorithm; hex: string }): string => `${d.algorithm}:${d.hex}`;

/** What a file must match, decided per URL before anything is read or downloaded. */
export type Expectation =
  /** The template states the digest: downloads are cached by it. */
  | { kind: 'digest'; digest: ExpectedDigest }
  /** A SUMS file listed the digest: downloads are cached by URL. */
  | { kind: 'sums'; digest: ExpectedDigest }
  /** `checksum: none`. */
  | { kind: 'unverified' }
  /** The SUMS file could not be read: only a file verified on an earlier build will do. */
  | { kind: 'offline'; reason: Error };
