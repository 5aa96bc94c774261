// The layer store on disk: listing, integrity checks, removal, use times and leases.
// A layer is used only after verifyLayer() passed: its record is complete, its backing
// file is its recorded parent, qemu-img check finds no corruption and its bytes still
// hash to the recorded sha256. Anything else is reported and removed, never booted.
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import { isAlive } from '../util/is-alive.js';
import { writeJsonAtomic } from '../util/write-atomic.js';
import { checkImage, imageInfo } from '../hypervisor/qemu/qemu-img.js';
import { fileSha256 } from './file-digests.js';
import { CACHE_FORMAT } from './keys.js';
import {
  backingName,
  DISK_FILE,
  EFI_VARS_FILE,
  LAYER_ID,
  layersDir,
  LEASES_DIR,
  OWNER_FILE,
  SSH_KEY_FILE,
  USED_FILE,
} from './layout.js';
import { readLayerRecord, type LayerRecord } from './record.js';

export interface StoredLayer {
  id: string;
  dir: string;
  disk: string;
  record: LayerRecord;
  /** Bytes the layer takes on the host (allocated blocks). */
  bytes: number;
  /** ms since the epoch: the last build that used it, or its creation. */
  lastUsed: number;
}

/** A layer directory without a record: a layer being written, or left by a build that died. */
export interface Leftover {
  id: string;
  dir: string;
  bytes: number;
  /** The build that made it is still running. */
  ownerAlive: boolean;
}

export interface StoreListing {
  layers: StoredLayer[];
  leftovers: Leftover[];
}

export class LayerStore {
  readonly root: string;

  constructor(readonly cacheDir: string) {
    this.root = layersDir(cacheDir);
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  async list(): Promise<StoreListing> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const listing: StoreListing = { layers: [], leftovers: [] };
    for (const id of names.filter((n) => LAYER_ID.test(n)).sort()) {
      const dir = this.dir(id);
      const bytes = await allocatedBytes(dir);
      const record = await readLayerRecord(dir);
      if (record && record.id === id) {
        const used = await stat(join(dir, USED_FILE)).catch(() => undefined);
        const lastUsed = used?.mtimeMs ?? Date.parse(record.created);
        listing.layers.push({ id, dir, disk: join(dir, DISK_FILE), record, bytes, lastUsed });
      } else {
        listing.leftovers.push({ id, dir, bytes, ownerAlive: await ownerAlive(dir) });
      }
    }
    return listing;
  }

  /** Why the layer must not be used, or undefined when it is intact. `parent` is the verified layer under it. */
  async verifyLayer(layer: StoredLayer, parent: StoredLayer | undefined, signal?: AbortSignal): Promise<string | undefined> {
    const { record } = layer;
    if (record.format !== CACHE_FORMAT) return `it was written by a kiln with cache format ${record.format}`;
    if (record.parent !== (parent?.id ?? null)) return 'its parent layer is missing';
    if (parent && record.parentSha256 !== parent.record.sha256) return 'its parent layer was rebuilt since';
    const info = await stat(layer.disk).catch(() => undefined);
    if (!info?.isFile()) return `${DISK_FILE} is missing`;
    const base = record.baseImage;
    if (base) {
      const now = await stat(base.path).catch(() => undefined);
      if (!now?.isFile()) return `the image it overlays (${base.path}) is gone`;
      if (now.size !== base.size || now.mtimeMs !== base.mtimeMs) return `the image it overlays (${base.path}) was written to since`;
    }
    try {
      const image = await imageInfo(layer.disk, signal);
      const expected = parent ? backingName(parent.id) : record.baseImage?.path;
      if (image.format !== 'qcow2') return `${DISK_FILE} is not a qcow2 image`;
      if (image.backingFile !== expected) return `its backing file is ${image.backingFile ?? 'none'}, expected ${expected ?? 'none'}`;
      const check = await checkImage(layer.disk, signal);
      if (check.corruptions > 0) return `qemu-img check found ${check.corruptions} corruption(s)`;
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      return `qemu-img cannot read it: ${(error as Error).message}`;
    }
    if ((await fileSha256(layer.disk, signal).catch(rethrowCancel)) !== record.sha256) {
      return `${DISK_FILE} no longer matches its recorded sha256`;
    }
    if (record.efiVarsSha256 && (await fileSha256(join(layer.dir, EFI_VARS_FILE), signal).catch(rethrowCancel)) !== record.efiVarsSha256) {
      return `${EFI_VARS_FILE} is missing or changed`;
    }
    for (const key of record.sshKey ? [SSH_KEY_FILE, `${SSH_KEY_FILE}.pub`] : []) {
      if (!(await stat(join(layer.dir, key)).catch(() => undefined))) return `${key} (the login key the guest was installed with) is missing`;
    }
    return undefined;
  }

  async remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Marks layers as used now (least-recently-used pruning keeps them longest). */
  async touch(ids: Iterable<string>): Promise<void> {
    const now = new Date();
    for (const id of ids) {
      const path = join(this.dir(id), USED_FILE);
      await utimes(path, now, now).catch(() => writeFile(path, ''));
    }
  }

  /**
   * Ids that running builds rely on, other than those of the lease `except` (a build's
   * own). A lease is named by its process and, as several builds run in one process,
   * by the build: `<pid>.json` or `<pid>-<tag>.json`.
   */
  async leasedIds(except?: LeaseOwner): Promise<Set<string>> {
    const dir = join(this.root, LEASES_DIR);
    const ids = new Set<string>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const match = LEASE_FILE.exec(name);
      const pid = Number(match?.[1]);
      if (!match || !pid || match[0] === `${except}.json`) continue;
      if (!isAlive(pid)) {
        await rm(join(dir, name), { force: true });
        continue;
      }
      const lease = await readFile(join(dir, name), 'utf8').then(JSON.parse, () => ({ ids: [] })) as { ids?: unknown };
      for (const id of Array.isArray(lease.ids) ? lease.ids : []) if (typeof id === 'string') ids.add(id);
    }
    return ids;
  }

  /** Records which layers the lease's build relies on; an empty list drops the lease. */
  async setLease(ids: Iterable<string>, owner: LeaseOwner = process.pid): Promise<void> {
    const dir = join(this.root, LEASES_DIR);
    const path = join(dir, `${owner}.json`);
    const list = [...ids];
    if (list.length === 0) return void (await rm(path, { force: true }));
    // Atomic: a prune in another process that read half a lease would take it for none.
    await writeJsonAtomic(path, { pid: Number(String(owner).split('-')[0]), ids: list });
  }
}

/** A lease's name: a pid, or `<pid>-<tag>` for one of several builds in a process (leaseOwner()). */
export type LeaseOwner = number | string;
const LEASE_FILE = /^(\d+)(?:-[0-9a-z]+)?\.json$/;

/** A lease name of its own for a build of this process. */
export const leaseOwner = (tag: string): string => `${process.pid}-${tag}`;

/** A layer as the tree walks see it: stored, or just its id and parent (prune's candidates). */
type TreeNode = { id: string; parent: string | null } | { id: string; record: { parent: string | null } };
const parentOf = (node: TreeNode): string | null => ('record' in node ? node.record.parent : node.parent);

/** Ids of the layers whose chain passes through any of `ids` (the layers themselves included). */
export function withDescendants(layers: readonly TreeNode[], ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const layer of layers) {
      const parent = parentOf(layer);
      if (!out.has(layer.id) && parent !== null && out.has(parent)) {
        out.add(layer.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Ids of the layers `ids` stand on (the layers themselves included). */
export function withAncestors(layers: readonly TreeNode[], ids: Iterable<string>): Set<string> {
  const byId = new Map(layers.map((l) => [l.id, l]));
  const out = new Set<string>();
  for (const id of ids) {
    let hop: string | null | undefined = id;
    while (hop && !out.has(hop)) {
      out.add(hop);
      const node = byId.get(hop);
      hop = node && parentOf(node);
    }
  }
  return out;
}

async function ownerAlive(dir: string): Promise<boolean> {
  const pid = Number((await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

async function allocatedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile()) total += info.blocks * 512;
  }
  return total;
}

function rethrowCancel(error: unknown): string {
  if (error instanceof CancelledError) throw error;
  return ''; // unreadable: differs from any recorded digest
}
