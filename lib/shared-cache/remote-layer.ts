// How a stage-cache layer sits in a registry (--cache-to/--cache-from). Each layer is an
// artifact tagged with its stage key (keys are chained, so a key names its whole
// ancestry): layer.json first, then disk.qcow2 and the files the record says the layer
// keeps (UEFI vars, the generated login key). The disk's digest is the sha256 its record
// names, so the registry's digest check and kiln's are one and the same.
import { KilnError } from '../errors.js';
import { DISK_FILE, EFI_VARS_FILE, STATE_FILE, LAYER_ID, RECORD_FILE, SSH_KEY_FILE } from '../cache/layout.js';
import { CACHE_FORMAT } from '../cache/keys.js';
import type { LayerRecord } from '../cache/record.js';
import type { Descriptor } from '../oci/blob-pull.js';
import type { ImageManifest } from '../oci/manifests.js';
import { EMPTY_CONFIG, KILN_CACHE_ARTIFACT, KILN_LAYER, OCI_MANIFEST, TITLE } from '../oci/media-types.js';
import { parseReference, type ImageReference } from '../oci/reference.js';

export const CACHE_KEY = 'dev.kiln.cache.key';
export const CACHE_STAGE = 'dev.kiln.cache.stage';
export const CACHE_TEMPLATE = 'dev.kiln.cache.template';

/** The files of a layer, as its record says it has them; layer.json first. */
export function layerFiles(record: LayerRecord): string[] {
  // The saved memory travels too: a runner whose machine fingerprint matches restores it.
  return [RECORD_FILE, DISK_FILE, ...(record.efiVarsSha256 ? [EFI_VARS_FILE] : []), ...(record.sshKey ? [SSH_KEY_FILE, `${SSH_KEY_FILE}.pub`] : []), ...(record.memory ? [STATE_FILE] : [])];
}

/** The tag a layer with this stage key is stored under. */
export const layerTag = (key: string): string => key;

/** `--cache-to`/`--cache-from`: a repository, without a tag (the tags are stage keys). */
export function parseCacheRef(flag: string, text: string): ImageReference {
  const ref = parseReference(text);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new KilnError('E_USAGE', `--${flag} "${text}" names a tag or digest; a stage cache is a whole repository`, {
      hint: `drop the tag: --${flag} oci://${ref.registry}/${ref.repository} (kiln tags each layer with its stage key)`,
    });
  }
  return ref;
}

export function layerManifest(record: LayerRecord, files: Descriptor[]): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: KILN_CACHE_ARTIFACT,
    config: { ...EMPTY_CONFIG },
    layers: files,
    annotations: { [CACHE_KEY]: record.key, [CACHE_STAGE]: record.stage, [CACHE_TEMPLATE]: record.template, [TITLE]: `${record.template} ${record.stage}` },
  };
}

export function fileDescriptor(name: string, digest: string, size: number): Descriptor {
  return { mediaType: name === RECORD_FILE ? KILN_LAYER.cacheRecord : KILN_LAYER.cacheFile, digest, size, annotations: { [TITLE]: name } };
}

/**
 * Why a pulled record cannot stand for the stage with `key` on the layer `parentId`, or
 * undefined: the record must be this kiln's format, for this key, on this parent, and
 * stand alone (a layer that overlays a source image by its path on the pushing machine
 * cannot move).
 */
export function recordMismatch(record: Partial<LayerRecord>, key: string, parentId: string | null): string | undefined {
  if (record.format !== CACHE_FORMAT) return `its record has cache format ${String(record.format)}, this kiln ${CACHE_FORMAT}`;
  if (record.key !== key) return 'its record is for another stage key';
  if (typeof record.id !== 'string' || !LAYER_ID.test(record.id)) return 'its record has no layer id';
  if ((record.parent ?? null) !== parentId) return 'it stands on another layer than the one before it (another runner pushed a different chain)';
  if (record.baseImage) return 'it overlays a source image on the machine that built it';
  if (typeof record.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(record.sha256)) return 'its record has no disk sha256';
  return undefined;
}

/** The descriptors of a pulled manifest by file name; refuses names a layer does not have. */
export function filesByName(manifest: ImageManifest, record: LayerRecord): Map<string, Descriptor> | string {
  const wanted = layerFiles(record);
  const byName = new Map(manifest.layers.map((d) => [d.annotations?.[TITLE] ?? '', d]));
  const missing = wanted.filter((name) => !byName.has(name));
  if (missing.length > 0) return `it lacks ${missing.join(', ')}`;
  const disk = byName.get(DISK_FILE)!;
  if (disk.digest !== `sha256:${record.sha256}`) return `its disk blob is ${disk.digest}, but its record names sha256:${record.sha256}`;
  return new Map(wanted.map((name) => [name, byName.get(name)!]));
}
