// Pushing one blob (distribution spec, "Pushing blobs"): a HEAD first, so a blob the
// registry has is never sent again; then one upload session: a single PUT for a blob up
// to `chunkSize`, else PATCHes of `chunkSize` bytes with Content-Range and a closing PUT
// ?digest=. The registry checks the digest when the session closes, so a blob is there
// whole or not at all. A chunk whose connection drops is resumed from the offset the
// session reports (GET on the upload URL answers Range: 0-N); if the session is gone,
// the upload restarts once from the beginning.
import { KilnError } from '../errors.js';
import type { BlobSource } from './blob-source.js';
import { headerText, type RegistryClient } from './client.js';
import { RegistryUnreachable } from './registry-errors.js';

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
export const MIN_CHUNK = 1024;

export interface PushBlobOptions {
  chunkSize?: number;
  /** Attempts per chunk whose connection fails (the first included). */
  attempts?: number;
  onProgress?: (sent: number) => void;
}

export type PushOutcome = 'exists' | 'uploaded';

export async function blobExists(client: RegistryClient, digest: string): Promise<boolean> {
  const res = await client.send({ method: 'HEAD', path: `/v2/${client.repository}/blobs/${digest}`, expect: [200, 404], doing: `looking for blob ${short(digest)}` });
  await res.body.dump();
  return res.status === 200;
}

export async function pushBlob(client: RegistryClient, blob: BlobSource, options: PushBlobOptions = {}): Promise<PushOutcome> {
  if (await blobExists(client, blob.digest)) return 'exists';
  const chunkSize = Math.max(MIN_CHUNK, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const attempts = options.attempts ?? 3;
  for (let session = 1; ; session++) {
    try {
      await upload(client, blob, chunkSize, attempts, options.onProgress);
      return 'uploaded';
    } catch (error) {
      if (!(error instanceof SessionLost) || session >= 2) throw error instanceof SessionLost ? error.cause : error;
    }
  }
}

/** The upload session vanished (the registry restarted, or expired it): start a new one. */
class SessionLost extends Error {
  constructor(override readonly cause: KilnError) {
    super(cause.message);
  }
}

async function upload(client: RegistryClient, blob: BlobSource, chunkSize: number, attempts: number, onProgress?: (sent: number) => void): Promise<void> {
  const doing = `pushing blob ${short(blob.digest)} (${blob.name})`;
  const start = await client.send({ method: 'POST', path: `/v2/${client.repository}/blobs/uploads/`, headers: { 'content-length': '0' }, expect: [202], doing });
  await start.body.dump();
  let location = client.resolve(requiredLocation(start.headers.location, doing, client), start.url);
  let offset = 0;
  if (blob.size > chunkSize) {
    while (offset < blob.size) {
      const end = Math.min(offset + chunkSize, blob.size);
      try {
        const res = await client.send({
          method: 'PATCH',
          path: location,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - offset), 'content-range': `${offset}-${end - 1}` },
          body: () => blob.read(offset, end),
          expect: [202],
          doing,
          bytes: end - offset,
        });
        await res.body.dump();
        location = client.resolve(requiredLocation(res.headers.location, doing, client), location);
        offset = rangeEnd(headerText(res.headers.range)) ?? end;
      } catch (error) {
        if (!(error instanceof RegistryUnreachable) || --attempts <= 0) throw error;
        offset = await resumeOffset(client, location, doing, error);
      }
      onProgress?.(offset);
    }
  }
  const close = new URL(location);
  close.searchParams.set('digest', blob.digest);
  const rest = blob.size - offset;
  const res = await client.send({
    method: 'PUT',
    path: close.toString(),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(rest) },
    ...(rest > 0 ? { body: () => blob.read(offset, blob.size) } : {}),
    expect: [201],
    doing,
    bytes: rest,
  });
  await res.body.dump();
  onProgress?.(blob.size);
}

/** Where a broken upload session stands: the next offset it wants. */
async function resumeOffset(client: RegistryClient, location: string, doing: string, dropped: KilnError): Promise<number> {
  try {
    const res = await client.send({ method: 'GET', path: location, expect: [204], doing: `${doing}: asking where the upload stands` });
    await res.body.dump();
    return rangeEnd(headerText(res.headers.range)) ?? 0;
  } catch {
    throw new SessionLost(dropped);
  }
}

/**
 * "0-1048575" (or "bytes=0-1048575") -> 1048576, the next byte wanted. The distribution
 * registry reports an empty session as "0-0" too; since chunks are at least MIN_CHUNK
 * bytes, a session never holds exactly one byte, so "0-0" reads as nothing stored.
 */
export function rangeEnd(range: string | undefined): number | undefined {
  const match = /^(?:bytes=)?0-(\d+)$/.exec(range?.trim() ?? '');
  if (!match) return undefined;
  const last = Number(match[1]);
  return last === 0 ? 0 : last + 1;
}

function requiredLocation(value: string | string[] | undefined, doing: string, client: RegistryClient): string {
  const location = headerText(value);
  if (!location) {
    throw new KilnError('E_REGISTRY', `${client.options.registry} answered ${doing} without a Location header`, {
      hint: 'the registry does not follow the OCI distribution spec here; a proxy in front of it may drop the header',
    });
  }
  return location;
}

export const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);
