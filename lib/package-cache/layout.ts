// Where the guest's package cache lives in kiln's cache. Pure: paths in, paths out.
//
//   <cacheDir>/packages/v1/blobs/<sha256>       a file's bytes, content-addressed: two URLs
//                                               with the same bytes share one blob
//   <cacheDir>/packages/v1/urls/<hash>.json     what one URL answered (url-record.ts);
//                                               written after its blob, atomically
//   <cacheDir>/packages/v1/partial/             downloads in progress, one file each
//
// <hash> is the first 32 hex digits of the URL's SHA-256.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const PACKAGES_DIR = join('packages', 'v1');

export const packagesDir = (cacheDir: string): string => join(cacheDir, PACKAGES_DIR);
export const blobPath = (cacheDir: string, sha256: string): string => join(packagesDir(cacheDir), 'blobs', sha256);
export const partialDir = (cacheDir: string): string => join(packagesDir(cacheDir), 'partial');

export const urlKey = (url: string): string => createHash('sha256').update(url).digest('hex').slice(0, 32);
export const urlRecordPath = (cacheDir: string, url: string): string => join(packagesDir(cacheDir), 'urls', `${urlKey(url)}.json`);
