// The package cache's store on disk (layout.ts): blobs by SHA-256 and one record per URL.
// A blob is complete before any record names it, and records are replaced atomically,
// so a reader (another build, kiln bundle export) never sees half a file.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { writeJsonAtomic } from '../util/write-atomic.js';
import { blobPath, partialDir, urlRecordPath } from './layout.js';

/** What one URL answered when it was fetched. */
export interface UrlRecord {
  url: string;
  /** 200, or the 404/410 a mirror answered for a file it does not have (apt asks for some on purpose). */
  status: number;
  /** With status 200: the body's digest and size. */
  sha256?: string;
  size?: number;
  content_type?: string;
  /** Validators for revalidating an index file. */
  etag?: string;
  last_modified?: string;
  fetched: string;
}

export interface BodyMeta {
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export class PackageStore {
  constructor(readonly cacheDir: string) {}

  /** The record for `url`; undefined when it was never fetched (or its blob is gone). */
  async lookup(url: string): Promise<UrlRecord | undefined> {
    let record: UrlRecord;
    try {
      record = JSON.parse(await readFile(urlRecordPath(this.cacheDir, url), 'utf8')) as UrlRecord;
    } catch {
      return undefined;
    }
    if (record.url !== url) return undefined;
    if (record.sha256 !== undefined && !(await this.hasBlob(record.sha256))) return undefined;
    return record;
  }

  blobPath(sha256: string): string {
    return blobPath(this.cacheDir, sha256);
  }

  async hasBlob(sha256: string): Promise<boolean> {
    return access(this.blobPath(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Stores `body` as the answer for `url` (status 200) and returns its record. */
  async saveBody(url: string, body: Readable, meta: BodyMeta): Promise<UrlRecord> {
    const { sha256, size, partial } = await this.writePartial(body);
    const blob = this.blobPath(sha256);
    if (await this.hasBlob(sha256)) await rm(partial, { force: true });
    else {
      await mkdir(dirname(blob), { recursive: true });
      await rename(partial, blob);
    }
    const record: UrlRecord = {
      url,
      status: 200,
      sha256,
      size,
      ...(meta.contentType ? { content_type: meta.contentType } : {}),
      ...(meta.etag ? { etag: meta.etag } : {}),
      ...(meta.lastModified ? { last_modified: meta.lastModified } : {}),
      fetched: new Date().toISOString(),
    };
    await this.saveRecord(record);
    return record;
  }

  async saveRecord(record: UrlRecord): Promise<void> {
    await writeJsonAtomic(urlRecordPath(this.cacheDir, record.url), record);
  }

  /** Moves a file already checked against `sha256` into the blobs (kiln bundle import). */
  async adoptBlob(path: string, sha256: string): Promise<void> {
    const blob = this.blobPath(sha256);
    await mkdir(dirname(blob), { recursive: true });
    await rename(path, blob);
  }

  /** A fresh partial file's path (bundle import writes there before adoptBlob). */
  async partialPath(): Promise<string> {
    await mkdir(partialDir(this.cacheDir), { recursive: true });
    return join(partialDir(this.cacheDir), `${process.pid}-${randomBytes(6).toString('hex')}.partial`);
  }

  private async writePartial(body: Readable): Promise<{ sha256: string; size: number; partial: string }> {
    const partial = await this.partialPath();
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(partial));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { sha256: hash.digest('hex'), size, partial };
  }
}
