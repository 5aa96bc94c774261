// Manifests: an OCI image manifest PUT by tag (after every blob it names is in the
// registry: the push order that never leaves a manifest pointing at a missing blob) and
// GET by tag or digest, its bytes checked against the digest asked for or announced.
import { createHash } from 'node:crypto';
import { KilnError } from '../errors.js';
import type { Descriptor } from './blob-pull.js';
import { headerText, type RegistryClient } from './client.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from './media-types.js';

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: typeof OCI_MANIFEST;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface FetchedManifest {
  manifest: ImageManifest;
  digest: string;
  bytes: Buffer;
}

export const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Puts the manifest under `reference` (a tag); returns its digest. */
export async function putManifest(client: RegistryClient, reference: string, manifest: ImageManifest): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const res = await client.send({
    method: 'PUT',
    path: `/v2/${client.repository}/manifests/${reference}`,
    headers: { 'content-type': OCI_MANIFEST },
    body: () => bytes,
    expect: [201],
    doing: `pushing the manifest of ${client.repository}:${reference}`,
    bytes: bytes.length,
  });
  await res.body.dump();
  return digestOf(bytes);
}

/** The manifest at `reference`; undefined for 404 when `missingOk`. */
export async function getManifest(client: RegistryClient, reference: string, missingOk = false): Promise<FetchedManifest | undefined> {
  const doing = `reading the manifest of ${client.repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const res = await client.send({
    method: 'GET',
    path: `/v2/${client.repository}/manifests/${reference}`,
    headers: { accept: [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST].join(', ') },
    expect: missingOk ? [200, 404] : [200],
    doing,
  });
  if (res.status === 404) {
    await res.body.dump();
    return undefined;
  }
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const digest = digestOf(bytes);
  const expected = reference.startsWith('sha256:') ? reference : headerText(res.headers['docker-content-digest']);
  if (expected && expected !== digest) {
    throw new KilnError('E_CHECKSUM', `${client.options.registry} served a manifest for ${client.repository}@${expected} whose digest is ${digest}`, {
      hint: 'something between kiln and the registry changed it, or the registry is damaged: push again',
    });
  }
  let manifest: ImageManifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  } catch (error) {
    throw new KilnError('E_REGISTRY', `the manifest at ${client.repository}:${reference} is not JSON`, { cause: error, hint: 'it was not written by an OCI client' });
  }
  if (manifest.mediaType !== OCI_MANIFEST && manifest.mediaType !== DOCKER_MANIFEST) {
    throw new KilnError('E_REGISTRY', `${client.repository}:${reference} is a ${String(manifest.mediaType)}, not an image manifest`, {
      hint: 'kiln pulls single-manifest artifacts (what kiln publish pushes); pick a platform-specific digest of a multi-platform image',
    });
  }
  if (!Array.isArray(manifest.layers)) throw new KilnError('E_REGISTRY', `the manifest at ${client.repository}:${reference} lists no layers`, { hint: 'it was not written by kiln publish' });
  return { manifest, digest, bytes };
}
