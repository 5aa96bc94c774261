// What the source is, for the install key: its verified digest when the template gave a
// checksum, else the sha256 of its bytes (`checksum: none`), remembered by path, size and
// mtime so an unchanged multi-GB ISO is hashed once, not on every build.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/write-json-atomic.js';
import { fileSha256 } from './file-digests.js';
import { sha256Hex } from './keys.js';
import { DIGESTS_DIR, layersDir } from './layout.js';

interface DigestMemo {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export async function sourceIdentity(cacheDir: string, source: { path: string; checksum?: string }, signal?: AbortSignal): Promise<string> {
  if (source.checksum) return source.checksum;
  const info = await stat(source.path);
  const memoPath = join(layersDir(cacheDir), DIGESTS_DIR, `${sha256Hex(source.path).slice(0, 32)}.json`);
  const memo = (await readFile(memoPath, 'utf8').then(JSON.parse, () => undefined)) as DigestMemo | undefined;
  if (memo?.path === source.path && memo.size === info.size && memo.mtimeMs === info.mtimeMs) return `sha256:${memo.sha256}`;
  const sha256 = await fileSha256(source.path, signal);
  const fresh: DigestMemo = { path: source.path, size: info.size, mtimeMs: info.mtimeMs, sha256 };
  // Only an optimisation: a read-only cache costs a re-hash next time.
  await writeJsonAtomic(memoPath, fresh).catch(() => {}); // a memo that cannot be written costs a re-hash next time, nothing more
  return `sha256:${sha256}`;
}
