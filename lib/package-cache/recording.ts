// packages.lock.json: every file the guest fetched through the package cache in one
// build (index files included), in URL order, so that the same build can be answered
// from the store alone (--offline) and carried across with kiln bundle.
import { readFile } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import type { UrlRecord } from './store.js';

export const PACKAGES_LOCK = 'packages.lock.json';

export interface LockEntry {
  url: string;
  /** 200, or the 404/410 the mirror answered (apt asks for InRelease where only Release exists). */
  status: number;
  size?: number;
  sha256?: string;
}

export interface PackagesLock {
  version: 1;
  entries: LockEntry[];
}

export class Recording {
  private readonly byUrl = new Map<string, LockEntry>();

  add(record: UrlRecord): void {
    this.byUrl.set(record.url, {
      url: record.url,
      status: record.status,
      ...(record.size !== undefined ? { size: record.size } : {}),
      ...(record.sha256 !== undefined ? { sha256: record.sha256 } : {}),
    });
  }

  get size(): number {
    return this.byUrl.size;
  }

  lock(): PackagesLock {
    return { version: 1, entries: [...this.byUrl.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)) };
  }
}

/** Reads and checks a packages.lock.json; a malformed one is E_BUNDLE naming the file and entry. */
export async function readPackagesLock(path: string): Promise<PackagesLock> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KilnError('E_BUNDLE', `${path}: cannot read the package recording: ${(error as Error).message}`, {
      cause: error,
      hint: 'build the template with proxy: cache once (without --offline) to record the packages its guest fetches',
    });
  }
  const bad = (why: string) => new KilnError('E_BUNDLE', `${path}: ${why}`, { hint: 'build the template again to write a fresh packages.lock.json' });
  if (typeof data !== 'object' || data === null || (data as PackagesLock).version !== 1 || !Array.isArray((data as PackagesLock).entries)) {
    throw bad('not a kiln packages.lock.json (version 1 with entries)');
  }
  const entries = (data as PackagesLock).entries;
  entries.forEach((entry, index) => {
    const ok =
      typeof entry?.url === 'string' &&
      typeof entry.status === 'number' &&
      (entry.status !== 200 || (typeof entry.sha256 === 'string' && /^[0-9a-f]{64}$/.test(entry.sha256) && typeof entry.size === 'number'));
    if (!ok) throw bad(`entries[${index}] needs url, status and (for status 200) sha256 and size`);
  });
  return { version: 1, entries };
}
