// What the source is, for the install key: its verified digest when the template gave a
// checksum, else the sha256 of its bytes (`checksum: none`), remembered in the digest
// memo the source module keeps (path+size+mtime) so an unchanged ISO is hashed once.
import { stat } from 'node:fs/promises';
import { recallDigests, rememberDigest } from '../source/digest-memo.js';
import { fileSha256 } from './file-digests.js';

export async function sourceIdentity(cacheDir: string, source: { path: string; checksum?: string }, signal?: AbortSignal): Promise<string> {
  if (source.checksum) return source.checksum;
  const info = await stat(source.path);
  const known = (await recallDigests(cacheDir, source.path, info))?.digests.sha256;
  if (known) return `sha256:${known}`;
  const sha256 = await fileSha256(source.path, signal);
  // Only an optimisation: a read-only cache costs a re-hash next time.
  await rememberDigest(cacheDir, source.path, info, { algorithm: 'sha256', hex: sha256 }).catch(() => {});
  return `sha256:${sha256}`;
}
