// Fetches the text of a SUMS file named by `checksum: file:<url-or-path>`.
// It is small, so it is read whole, within a bound (a chunked response states no length
// up front); it is fetched on every build (unless local) because a mirror may publish a
// new image under the same URL.
import { readFile, stat } from 'node:fs/promises';
import { CancelledError, KilnError } from '../errors.js';
import { formatSize } from '../util/size.js';
import { redactUrl } from '../util/redact-url.js';
import { describe, httpGet, readBodyLimited, statusLine } from './http-get.js';
import { parseLocation } from './location.js';
import type { ProxyRoutes } from './proxy-routes.js';

// Generous for any real SUMS file, small enough to notice `file:` pointing at an ISO.
export const MAX_SUMS_BYTES = 16 << 20;

const TOO_LARGE_HINT =
  '"file:" must name the SUMS file (e.g. SHA256SUMS), not the image itself; for a SUMS file this large, write the digest itself in the template (checksum: sha256:<hex>)';

export interface ChecksumFileOptions {
  /** Which proxy, if any, a SUMS file over http(s) comes through. */
  routes: ProxyRoutes;
  signal?: AbortSignal;
  limit?: number;
}

export async function readChecksumFile(location: string, { routes, signal, limit = MAX_SUMS_BYTES }: ChecksumFileOptions): Promise<string> {
  const where = parseLocation(location);
  if (where.kind === 'local') return readLocal(where.path, limit, signal);
  const url = redactUrl(where.url);
  const response = await httpGet(where.url, {
    routes,
    signal,
    what: 'checksum file ',
    hint: 'check the network, or write the digest itself in the template (checksum: sha256:<hex>)',
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new KilnError('E_DOWNLOAD', `HTTP ${statusLine(response)} from checksum file ${url}${routes.via(where.url)}`, {
      hint: 'check the URL after "file:" in the checksum',
    });
  }
  return readBodyLimited(response, where.url, limit, { what: 'checksum file', hint: TOO_LARGE_HINT, code: 'E_CHECKSUM', signal });
}

async function readLocal(path: string, limit: number, signal?: AbortSignal): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size > limit) {
      throw new KilnError('E_CHECKSUM', `checksum file ${path} is ${formatSize(size)}, more than kiln reads whole (${formatSize(limit)})`, {
        hint: TOO_LARGE_HINT,
      });
    }
    return await readFile(path, { encoding: 'utf8', signal });
  } catch (cause) {
    if (signal?.aborted) throw new CancelledError();
    if (cause instanceof KilnError) throw cause;
    throw new KilnError('E_SOURCE', `cannot read checksum file ${path}: ${describe(cause)}`, {
      cause,
      hint: 'check the path after "file:" in the checksum',
    });
  }
}
