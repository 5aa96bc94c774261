// The manifests kiln pushes, as pure functions of their blobs' descriptors:
//  - a build as an ORAS-style artifact: artifactType application/vnd.kiln.build.v1, the
//    empty config, one layer per file with its name in org.opencontainers.image.title
//    (so `oras pull` writes the same files) and kiln's format and sha256 annotations;
//  - a KubeVirt containerDisk: an image config and one uncompressed tar layer holding
//    the disk under /disk/, owned by uid 107 (qemu in virt-launcher) and read-only.
import type { Descriptor } from '../oci/blob-pull.js';
import type { ImageManifest } from '../oci/manifests.js';
import {
  CREATED,
  EMPTY_CONFIG,
  KILN_BUILD_ARTIFACT,
  KILN_FORMAT,
  KILN_LAYER,
  KILN_NAME,
  KILN_SHA256,
  OCI_IMAGE_CONFIG,
  OCI_LAYER_TAR,
  OCI_MANIFEST,
  TITLE,
  VERSION,
} from '../oci/media-types.js';
import { END_OF_ARCHIVE, padding, tarHeader } from '../export/tar-header.js';
import type { Segment } from '../oci/blob-source.js';

export interface ArtifactMeta {
  name: string;
  version: string;
  created: string;
}

/** The media type of a built file by the format its manifest.json records. */
export function layerMediaType(format: string, gzipped: boolean): string {
  if (format.startsWith('vagrant-')) return gzipped ? KILN_LAYER.box : KILN_LAYER.box.replace(/\+gzip$/, '');
  if (format === 'manifest') return KILN_LAYER.manifest;
  return (KILN_LAYER as Record<string, string>)[format] ?? KILN_LAYER.other;
}

export function fileDescriptor(file: { file: string; format: string; digest: string; size: number; mediaType: string }): Descriptor {
  return {
    mediaType: file.mediaType,
    digest: file.digest,
    size: file.size,
    annotations: { [TITLE]: file.file, [KILN_FORMAT]: file.format, [KILN_SHA256]: file.digest.slice('sha256:'.length) },
  };
}

export function artifactManifest(layers: Descriptor[], meta: ArtifactMeta): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: KILN_BUILD_ARTIFACT,
    config: { ...EMPTY_CONFIG },
    layers,
    annotations: { [TITLE]: meta.name, [VERSION]: meta.version, [CREATED]: meta.created, [KILN_NAME]: meta.name },
  };
}

/** uid and gid of qemu in KubeVirt's virt-launcher, which must read the disk. */
export const CONTAINERDISK_OWNER = 107;

/** The containerDisk layer's tar: disk/ and disk/<file>, laid out as segments around the disk file. */
export function containerDiskSegments(disk: { path: string; file: string; size: number }, mtime: number): Segment[] {
  const headers = Buffer.concat([
    tarHeader({ name: 'disk/', size: 0, mtime, type: 'directory', owner: CONTAINERDISK_OWNER, mode: 0o555 }),
    tarHeader({ name: `disk/${disk.file}`, size: disk.size, mtime, owner: CONTAINERDISK_OWNER, mode: 0o444 }),
  ]);
  return [{ bytes: headers }, { path: disk.path, size: disk.size }, { bytes: Buffer.concat([Buffer.alloc(padding(disk.size)), END_OF_ARCHIVE]) }];
}

/** The image config of a containerDisk: its one layer is uncompressed, so its diff_id is its digest. */
export function containerDiskConfig(layerDigest: string, architecture: string, created: string): Buffer {
  return Buffer.from(JSON.stringify({ created, architecture, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layerDigest] } }));
}

export function containerDiskManifest(config: Descriptor, layer: Descriptor, meta: ArtifactMeta): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { ...config, mediaType: OCI_IMAGE_CONFIG },
    layers: [{ ...layer, mediaType: OCI_LAYER_TAR }],
    annotations: { [TITLE]: meta.name, [VERSION]: meta.version, [CREATED]: meta.created, [KILN_NAME]: meta.name, [KILN_FORMAT]: 'containerdisk' },
  };
}
