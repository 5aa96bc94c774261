// --cache-to: after a build, each layer of its chain goes to the registry, oldest first,
// unless the registry holds it already. A key the registry holds with another layer (a
// runner that built the same stage pushed first) ends the push: later layers stand on
// ours, which the registry's chain does not have, so they could never be pulled.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { StoredLayer } from '../cache/store.js';
import type { Log } from '../log/log.js';
import { bufferBlob, fileBlob } from '../oci/blob-source.js';
import { fetchBlobBytes } from '../oci/blob-pull.js';
import { pushBlob } from '../oci/blob-push.js';
import { getManifest, putManifest } from '../oci/manifests.js';
import { EMPTY_CONFIG_BYTES, TITLE } from '../oci/media-types.js';
import { openRepository, type RegistryAccess } from '../oci/open-repository.js';
import { formatReference, type ImageReference } from '../oci/reference.js';
import { DISK_FILE, RECORD_FILE } from '../cache/layout.js';
import type { LayerRecord } from '../cache/record.js';
import { formatSize } from '../util/size.js';
import { fileDescriptor, layerFiles, layerManifest, layerTag } from './remote-layer.js';

export interface PushResult {
  pushed: number;
  present: number;
  /** Blob bytes sent. */
  bytes: number;
}

export async function pushLayers(chain: readonly StoredLayer[], ref: ImageReference, access: RegistryAccess, log: Log): Promise<PushResult> {
  const repo = await openRepository(ref, 'push', { ...access, trace: (line) => log.debug(`registry: ${line}`) });
  const result: PushResult = { pushed: 0, present: 0, bytes: 0 };
  try {
    for (const layer of chain) {
      const { record } = layer;
      if (record.baseImage) {
        log.info(`cache: ${record.stage} is not pushed: it overlays the source image on this machine`);
        return result;
      }
      const existing = await getManifest(repo.client, layerTag(record.key), true);
      if (existing) {
        const recordDesc = existing.manifest.layers.find((d) => d.annotations?.[TITLE] === RECORD_FILE);
        const theirs = recordDesc && (JSON.parse((await fetchBlobBytes(repo.client, recordDesc)).toString('utf8')) as LayerRecord);
        if (theirs?.id === record.id) {
          result.present++;
          continue;
        }
        log.info(`cache: ${formatReference(ref)} has ${record.stage} from another build (layer ${theirs?.id ?? 'unknown'}); the layers after it are not pushed`);
        return result;
      }
      const descriptors = [];
      for (const name of layerFiles(record)) {
        const path = join(layer.dir, name);
        const blob = name === RECORD_FILE ? bufferBlob(await readFile(path), RECORD_FILE) : await fileBlob(path, name === DISK_FILE ? record.sha256 : undefined);
        if ((await pushBlob(repo.client, blob)) === 'uploaded') result.bytes += blob.size;
        descriptors.push(fileDescriptor(name, blob.digest, blob.size));
      }
      await pushBlob(repo.client, bufferBlob(EMPTY_CONFIG_BYTES, 'empty config'));
      await putManifest(repo.client, layerTag(record.key), layerManifest(record, descriptors));
      result.pushed++;
      log.info(`cache: pushed ${record.stage} (layer ${record.id}, ${formatSize(record.bytes)}) to ${formatReference(ref)}`);
    }
    return result;
  } finally {
    await repo.close();
  }
}
