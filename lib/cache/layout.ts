// Where stage layers live in kiln's cache. Pure: paths in, paths out.
//
//   <cacheDir>/layers/<id>/disk.qcow2    the layer: a qcow2 overlay whose backing file is
//                                        ../<parent id>/disk.qcow2 (none for an install layer)
//   <cacheDir>/layers/<id>/layer.json    its record (record.ts); written last, atomically:
//                                        a directory without one is not a layer (yet)
//   <cacheDir>/layers/<id>/used          its mtime is the layer's last use (LRU pruning)
//   <cacheDir>/layers/<id>/owner         pid of the build that created the directory
//   <cacheDir>/layers/<id>/ssh-key       install layers: the generated login key baked into the guest
//   <cacheDir>/layers/<id>/efi-vars.fd   UEFI builds: the guest's NVRAM at the checkpoint
//   <cacheDir>/layers/<id>/state.zst     live checkpoints: the guest's memory and device state (QEMU migration, zstd)
//   <cacheDir>/layers/.leases/<pid>[-<tag>].json layers a running build relies on (never pruned)
//   <cacheDir>/layers/.locks/<key>.lock  held by the one build storing the stage with that key (stage-locks.ts)
//
// An id is the first 16 hex digits of the stage key and 8 random ones: two builds that
// make the same stage at once each get their own directory, so a child layer's backing
// path always names the exact parent it was written on.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const LAYERS_DIR = 'layers';
export const DISK_FILE = 'disk.qcow2';
export const RECORD_FILE = 'layer.json';
export const USED_FILE = 'used';
export const OWNER_FILE = 'owner';
export const SSH_KEY_FILE = 'ssh-key';
export const EFI_VARS_FILE = 'efi-vars.fd';
export const STATE_FILE = 'state.zst';
export const LEASES_DIR = '.leases';
export const LOCKS_DIR = '.locks';

/** Directories of layers (and layers being written) are named like this; dot-names are kiln's own. */
export const LAYER_ID = /^(?:[0-9a-f]{16}|work)-[0-9a-f]{8}$/;

export const layersDir = (cacheDir: string): string => join(cacheDir, LAYERS_DIR);
export const layerDir = (cacheDir: string, id: string): string => join(layersDir(cacheDir), id);

/** The backing file name written into a child's qcow2 header: relative, so the cache can move. */
export const backingName = (parentId: string): string => `../${parentId}/${DISK_FILE}`;

/** A fresh id for a stage with this key; `undefined` for a disk that will never be a layer. */
export function newLayerId(key: string | undefined): string {
  return `${key ? key.slice(0, 16) : 'work'}-${randomBytes(4).toString('hex')}`;
}

/** The lock of the one build storing the stage with this key. */
export const stageLockPath = (cacheDir: string, key: string): string => join(layersDir(cacheDir), LOCKS_DIR, `${key}.lock`);
