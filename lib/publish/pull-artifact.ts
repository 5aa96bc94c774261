// `kiln pull REF DIR`: an artifact kiln published, back into a directory, every blob
// checked against its digest as it arrives (blob-pull.ts), and the manifest against the
// digest it was asked by or announced with. Files land under the names their
// org.opencontainers.image.title annotations give, never outside DIR, never over a file.
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KilnError } from '../errors.js';
import { pullBlob } from '../oci/blob-pull.js';
import { getManifest } from '../oci/manifests.js';
import { KILN_SHA256, TITLE } from '../oci/media-types.js';
import { openRepository, type RegistryAccess } from '../oci/open-repository.js';
import { formatReference, manifestReference, type ImageReference } from '../oci/reference.js';

export interface PullOptions {
  ref: ImageReference;
  dir: string;
  access: RegistryAccess;
  onFile?: (file: { name: string; size: number; digest: string }) => void;
}

export interface PullResult {
  reference: string;
  digest: string;
  files: { name: string; path: string; size: number; digest: string }[];
}

export async function pullArtifact(options: PullOptions): Promise<PullResult> {
  const repo = await openRepository(options.ref, 'pull', options.access);
  try {
    const { manifest, digest } = (await getManifest(repo.client, manifestReference(options.ref)))!;
    const shown = formatReference(options.ref);
    const names = manifest.layers.map((layer, index) => {
      const title = layer.annotations?.[TITLE];
      if (!title || basename(title) !== title || title.startsWith('.')) {
        throw new KilnError('E_REGISTRY', `${shown}: layer ${index + 1} has no plain file name in ${TITLE}`, {
          hint: 'kiln pull fetches artifacts (what kiln publish and oras push write); copy container images with skopeo copy',
        });
      }
      const recorded = layer.annotations?.[KILN_SHA256];
      if (recorded !== undefined && `sha256:${recorded}` !== layer.digest) {
        throw new KilnError('E_CHECKSUM', `${shown}: ${title} is annotated sha256:${recorded} but its layer is ${layer.digest}`, { hint: 'the manifest was edited after kiln pushed it: push the build again' });
      }
      return title;
    });
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice !== undefined) {
      throw new KilnError('E_REGISTRY', `${shown}: two layers are both titled ${twice}`, { hint: 'the manifest was not written by kiln publish; fetch its blobs by digest with skopeo or oras' });
    }
    await mkdir(options.dir, { recursive: true });
    for (const name of names) {
      if (await stat(join(options.dir, name)).catch(() => undefined)) {
        throw new KilnError('E_OUTPUT_EXISTS', `${join(options.dir, name)} exists already`, { hint: 'pull into an empty directory, or remove the file first' });
      }
    }
    const files: PullResult['files'] = [];
    for (const [index, layer] of manifest.layers.entries()) {
      const name = names[index]!;
      const path = join(options.dir, name);
      await pullBlob(repo.client, layer, path);
      files.push({ name, path, size: layer.size, digest: layer.digest });
      options.onFile?.({ name, size: layer.size, digest: layer.digest });
    }
    return { reference: shown, digest, files };
  } finally {
    await repo.close();
  }
}
