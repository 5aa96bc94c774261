// Fetching one blob to a file, verified: the bytes are hashed as they arrive and land
// under a temporary name, renamed into place only when their sha256 and size are the
// ones the manifest names. A registry (or anything between) that serves other bytes
// is refused with both digests, and nothing is left behind.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { KilnError } from '../errors.js';
import { short } from './blob-push.js';
import type { RegistryClient } from './client.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export async function pullBlob(client: RegistryClient, descriptor: Descriptor, destination: string): Promise<void> {
  const doing = `pulling blob ${short(descriptor.digest)} (${basename(destination)})`;
  const res = await client.send({ method: 'GET', path: `/v2/${client.repository}/blobs/${descriptor.digest}`, expect: [200], doing });
  const temp = join(dirname(destination), `.${basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(res.body, count, createWriteStream(temp));
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== descriptor.digest || bytes !== descriptor.size) {
      throw new KilnError('E_CHECKSUM', `${client.options.registry}/${client.repository} served other bytes for ${basename(destination)}: expected ${descriptor.digest} (${descriptor.size} bytes), got ${digest} (${bytes} bytes)`, {
        hint: 'the blob in the registry is damaged or was replaced, or something between rewrote it: push the artifact again; nothing was written',
      });
    }
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A small blob (a config, a cache record) into memory, verified the same way. */
export async function fetchBlobBytes(client: RegistryClient, descriptor: Descriptor, limit = 4 * 1024 * 1024): Promise<Buffer> {
  if (descriptor.size > limit) throw new KilnError('E_REGISTRY', `blob ${short(descriptor.digest)} is ${descriptor.size} bytes, more than the ${limit} kiln reads into memory`, { hint: 'the manifest is not one kiln wrote' });
  const res = await client.send({ method: 'GET', path: `/v2/${client.repository}/blobs/${descriptor.digest}`, expect: [200], doing: `pulling blob ${short(descriptor.digest)}` });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (digest !== descriptor.digest) {
    throw new KilnError('E_CHECKSUM', `${client.options.registry}/${client.repository} served other bytes for blob ${short(descriptor.digest)}: got ${digest}`, { hint: 'the blob in the registry is damaged or was replaced: push again' });
  }
  return bytes;
}
