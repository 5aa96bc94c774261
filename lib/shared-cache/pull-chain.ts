// --cache-from: before a build plans, the longest chain of its stages the registry holds
// is brought into the local layer store, so the plan resumes from it as from layers
// built here. Stages already in the store are not pulled. Each layer is fetched into a
// dot-directory (which the store never lists), every blob checked against its digest
// (the disk's is the sha256 its record names), its record written last, then renamed
// to its id; the plan then verifies it like any other layer before using it.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORD_FILE, SSH_KEY_FILE } from '../cache/layout.js';
import type { PlannedStage } from '../cache/plan.js';
import { writeLayerRecord, type LayerRecord } from '../cache/record.js';
import type { LayerStore } from '../cache/store.js';
import type { Log } from '../log/log.js';
import { fetchBlobBytes, pullBlob } from '../oci/blob-pull.js';
import { getManifest } from '../oci/manifests.js';
import { TITLE } from '../oci/media-types.js';
import { openRepository, type RegistryAccess } from '../oci/open-repository.js';
import { formatReference, type ImageReference } from '../oci/reference.js';
import { formatSize } from '../util/size.js';
import { filesByName, layerTag, recordMismatch } from './remote-layer.js';

export interface PullChainResult {
  pulled: number;
  /** Blob bytes fetched. */
  bytes: number;
}

export async function pullChain(stages: readonly PlannedStage[], store: LayerStore, ref: ImageReference, access: RegistryAccess, log: Log): Promise<PullChainResult> {
  const { layers } = await store.list();
  const result: PullChainResult = { pulled: 0, bytes: 0 };
  const shown = formatReference(ref);
  const repo = await openRepository(ref, 'pull', { ...access, trace: (line) => log.debug(`registry: ${line}`) });
  try {
    let parentId: string | null = null;
    for (const stage of stages) {
      if (!stage.cacheable) break;
      const local = layers.find((l) => l.record.key === stage.key && l.record.parent === parentId);
      if (local) {
        parentId = local.id;
        continue;
      }
      const found = await getManifest(repo.client, layerTag(stage.key), true);
      if (!found) break;
      const recordDesc = found.manifest.layers.find((d) => d.annotations?.[TITLE] === RECORD_FILE);
      const record = recordDesc && (JSON.parse((await fetchBlobBytes(repo.client, recordDesc)).toString('utf8')) as LayerRecord);
      const why = record ? recordMismatch(record, stage.key, parentId) : 'it has no layer.json';
      const files = record && !why ? filesByName(found.manifest, record) : undefined;
      if (why || typeof files === 'string' || !record || !files) {
        log.warn(`cache: ${shown} holds ${stage.label}, but it cannot be used: ${why ?? files ?? 'it is malformed'}`);
        break;
      }
      result.bytes += await fetchLayer(store, record, files, repo.client);
      result.pulled++;
      log.info(`cache: pulled ${stage.label} (layer ${record.id}, ${formatSize(record.bytes)}) from ${shown}`);
      parentId = record.id;
    }
    return result;
  } finally {
    await repo.close();
  }
}

async function fetchLayer(store: LayerStore, record: LayerRecord, files: Map<string, Parameters<typeof pullBlob>[1]>, client: Parameters<typeof pullBlob>[0]): Promise<number> {
  const final = store.dir(record.id);
  if (await stat(final).catch(() => undefined)) await rm(final, { recursive: true, force: true }); // a leftover without a record
  const temp = join(store.root, `.pull-${randomBytes(4).toString('hex')}`);
  await mkdir(temp, { recursive: true });
  let bytes = 0;
  try {
    for (const [name, descriptor] of files) {
      if (name === RECORD_FILE) continue;
      await pullBlob(client, descriptor, join(temp, name));
      bytes += descriptor.size;
      if (name === SSH_KEY_FILE) await chmod(join(temp, name), 0o600);
    }
    await writeLayerRecord(temp, record);
    await rename(temp, final);
    return bytes;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
