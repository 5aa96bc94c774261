// Fetches the text of a SUMS file named by `checksum: file:<url-or-path>`.
// It is small, so it is read whole; it is fetched on every build (unless local)
// because a mirror may publish a new image under the same URL.
import { readFile } from 'node:fs/promises';
import { CancelledError, KilnError } from '../errors.js';
import { describe } from './download.js';
import { parseLocation } from './location.js';

// Generous for any real SUMS file, small enough to notice `file:` pointing at an ISO.
const MAX_BYTES = 16 << 20;

export async function readChecksumFile(location: string, signal?: AbortSignal): Promise<string> {
  const where = parseLocation(location);
  if (where.kind === 'local') {
    try {
      return await readFile(where.path, { encoding: 'utf8', signal });
    } catch (cause) {
      if (signal?.aborted) throw new CancelledError();
      throw new KilnError('E_SOURCE', `cannot read checksum file ${where.path}: ${describe(cause)}`, {
        cause,
        hint: 'check the path after "file:" in the checksum',
      });
    }
  }
  let response: Response;
  try {
    response = await fetch(where.url, { signal, headers: { 'user-agent': 'kiln' } });
  } catch (cause) {
    if (signal?.aborted) throw new CancelledError();
    throw new KilnError('E_DOWNLOAD', `cannot fetch checksum file ${where.url}: ${describe(cause)}`, {
      cause,
      hint: 'check the network, or write the digest itself in the template (checksum: sha256:<hex>)',
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new KilnError('E_DOWNLOAD', `HTTP ${response.status} ${response.statusText} from checksum file ${where.url}`, {
      hint: 'check the URL after "file:" in the checksum',
    });
  }
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_BYTES) {
    await response.body?.cancel();
    throw new KilnError('E_CHECKSUM', `${where.url} is ${length} bytes: too large for a checksum file`, {
      hint: '"file:" must name the SUMS file (e.g. SHA256SUMS), not the image itself',
    });
  }
  try {
    return await response.text();
  } catch (cause) {
    if (signal?.aborted) throw new CancelledError();
    throw new KilnError('E_DOWNLOAD', `reading checksum file ${where.url} failed: ${describe(cause)}`, { cause });
  }
}
