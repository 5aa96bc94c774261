// The media types kiln writes and reads (docs/publish.md lists them for other tools).
// OCI's own are from the image spec 1.1; kiln's are vendor types in its own tree.

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';

/** The empty descriptor an artifact without a config points at (image spec 1.1, "Guidance for an empty descriptor"). */
export const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
} as const;
export const EMPTY_CONFIG_BYTES = Buffer.from('{}');

/** artifactType of a build pushed by `kiln publish --to oci://`. */
export const KILN_BUILD_ARTIFACT = 'application/vnd.kiln.build.v1';
/** artifactType of a stage-cache layer (`--cache-to`). */
export const KILN_CACHE_ARTIFACT = 'application/vnd.kiln.cache.layer.v1';

/** Layer media types by what the file is. */
export const KILN_LAYER = {
  manifest: 'application/vnd.kiln.build.manifest.v1+json',
  box: 'application/vnd.kiln.vagrant.box.v1.tar+gzip',
  qcow2: 'application/vnd.kiln.disk.qcow2',
  raw: 'application/vnd.kiln.disk.raw',
  vmdk: 'application/vnd.kiln.disk.vmdk',
  vdi: 'application/vnd.kiln.disk.vdi',
  vhdx: 'application/vnd.kiln.disk.vhdx',
  ova: 'application/vnd.kiln.ova.v1.tar',
  other: 'application/octet-stream',
  cacheRecord: 'application/vnd.kiln.cache.record.v1+json',
  cacheFile: 'application/vnd.kiln.cache.file.v1',
} as const;

/** ORAS's annotation for a layer's file name, read by `oras pull`. */
export const TITLE = 'org.opencontainers.image.title';
export const VERSION = 'org.opencontainers.image.version';
export const CREATED = 'org.opencontainers.image.created';
export const KILN_NAME = 'dev.kiln.name';
export const KILN_FORMAT = 'dev.kiln.format';
export const KILN_SHA256 = 'dev.kiln.sha256';
