// `kiln publish OUTPUT_DIR --to oci://HOST/REPO:TAG`: a build's files into an OCI
// registry, as an artifact (oci-artifact.ts) or, with --containerdisk, its qcow2 as a
// KubeVirt containerDisk. Blobs go first, each skipped when the registry has it
// already; the manifest last, so a tag never names a blob that is not there.
import { open } from 'node:fs/promises';
import { bufferBlob, fileBlob, segmentBlob, type BlobSource } from '../oci/blob-source.js';
import { pushBlob, type PushOutcome } from '../oci/blob-push.js';
import type { Descriptor } from '../oci/blob-pull.js';
import type { RegistryClient } from '../oci/client.js';
import { putManifest, type ImageManifest } from '../oci/manifests.js';
import { EMPTY_CONFIG_BYTES } from '../oci/media-types.js';
import { openRepository, type RegistryAccess } from '../oci/open-repository.js';
import { formatReference, manifestReference, type ImageReference } from '../oci/reference.js';
import { KilnError } from '../errors.js';
import { builtFiles, type BuiltFile } from './build-files.js';
import { artifactManifest, containerDiskConfig, containerDiskManifest, containerDiskSegments, fileDescriptor, layerMediaType, type ArtifactMeta } from './oci-artifact.js';

export interface OciPublishOptions {
  outputDir: string;
  ref: ImageReference;
  access: RegistryAccess;
  /** org.opencontainers.image.version; default the tag. */
  version?: string;
  containerDisk: boolean;
  architecture: string;
  chunkSize?: number;
  /** Told of each blob once the registry has it. */
  onBlob?: (blob: PushedBlob) => void;
}

export interface PushedBlob {
  name: string;
  digest: string;
  size: number;
  outcome: PushOutcome;
}

export interface OciPublishResult {
  reference: string;
  digest: string;
  blobs: PushedBlob[];
}

export async function publishToRegistry(options: OciPublishOptions): Promise<OciPublishResult> {
  const build = await builtFiles(options.outputDir);
  const meta: ArtifactMeta = { name: build.name, version: options.version ?? options.ref.tag ?? 'latest', created: new Date().toISOString() };
  const repo = await openRepository(options.ref, 'push', options.access);
  const blobs: PushedBlob[] = [];
  const push = async (client: RegistryClient, blob: BlobSource, name: string): Promise<void> => {
    let outcome: PushOutcome;
    try {
      outcome = await pushBlob(client, blob, options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {});
    } catch (error) {
      if (error instanceof KilnError && /DIGEST_INVALID/.test(error.message)) {
        throw new KilnError('E_PUBLISH_INPUT', `${name} no longer matches the sha256 its build recorded (${blob.digest}): the registry refused it`, {
          hint: 'the build output was changed after the build: rebuild it (kiln build --force)',
        });
      }
      throw error;
    }
    const pushed = { name, digest: blob.digest, size: blob.size, outcome };
    blobs.push(pushed);
    options.onBlob?.(pushed);
  };
  try {
    const manifest = options.containerDisk
      ? await containerDisk(repo.client, build.files, meta, options, push)
      : await artifact(repo.client, build.files, build.manifestPath, meta, push);
    const digest = await putManifest(repo.client, manifestReference(options.ref), manifest);
    return { reference: formatReference(options.ref), digest, blobs };
  } finally {
    await repo.close();
  }
}

type Push = (client: RegistryClient, blob: BlobSource, name: string) => Promise<void>;

async function artifact(client: RegistryClient, files: BuiltFile[], manifestPath: string, meta: ArtifactMeta, push: Push): Promise<ImageManifest> {
  const layers: Descriptor[] = [];
  for (const file of files) {
    const blob = await fileBlob(file.path, file.sha256);
    await push(client, blob, file.file);
    layers.push(fileDescriptor({ file: file.file, format: file.format, digest: blob.digest, size: blob.size, mediaType: layerMediaType(file.format, await isGzip(file.path)) }));
  }
  const record = await fileBlob(manifestPath);
  await push(client, record, 'manifest.json');
  layers.push(fileDescriptor({ file: 'manifest.json', format: 'manifest', digest: record.digest, size: record.size, mediaType: layerMediaType('manifest', false) }));
  await push(client, bufferBlob(EMPTY_CONFIG_BYTES, 'empty config'), 'config');
  return artifactManifest(layers, meta);
}

async function containerDisk(client: RegistryClient, files: BuiltFile[], meta: ArtifactMeta, options: OciPublishOptions, push: Push): Promise<ImageManifest> {
  const disk = files.find((f) => f.format === 'qcow2') ?? files.find((f) => f.format === 'raw');
  if (!disk) {
    throw new KilnError('E_PUBLISH_INPUT', `${options.outputDir} holds no qcow2 or raw disk image for a containerDisk (it has ${files.map((f) => `${f.file} (${f.format})`).join(', ')})`, {
      hint: 'add a qcow2 export to the template (output.formats: [qcow2]) and build again',
    });
  }
  const mtime = Math.floor(Date.parse(meta.created) / 1000);
  const layer = await segmentBlob(containerDiskSegments({ path: disk.path, file: disk.file, size: disk.bytes }, mtime), `${disk.file} in disk/`);
  await push(client, layer, `${disk.file} (containerDisk layer)`);
  const config = bufferBlob(containerDiskConfig(layer.digest, options.architecture, meta.created), 'image config');
  await push(client, config, 'config');
  return containerDiskManifest({ mediaType: '', digest: config.digest, size: config.size }, { mediaType: '', digest: layer.digest, size: layer.size }, meta);
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
