// Writing a build's layers. The VM always writes to the active disk, which lives in the
// directory of the layer it will become. A checkpoint freezes it (a live snapshot, or
// the disk of a guest that powered off) and commits it in the background: qemu-img
// check, sha256, then layer.json. Commits run one after another, since each record
// names the checked digest of the layer under it; a failed commit stores nothing above it.
import { chmod, copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import { prepareDiskImage } from '../source/disk-image.js';
import { checkImage, createDisk } from '../hypervisor/qemu/qemu-img.js';
import type { SavedState } from '../hypervisor/build-vm.js';
import type { Log } from '../log/log.js';
import type { KeyPair } from '../ssh/key-pair.js';
import { formatSize } from '../util/size.js';
import { fileSha256 } from './file-digests.js';
import { CACHE_FORMAT } from './keys.js';
import { backingName, DISK_FILE, EFI_VARS_FILE, newLayerId, OWNER_FILE, SSH_KEY_FILE, STATE_FILE } from './layout.js';
import type { PlannedStage } from './plan.js';
import { writeLayerRecord, type LayerRecord } from './record.js';
import type { LayerStore, StoredLayer } from './store.js';

export interface ActiveDisk {
  /** The stage whose writes this disk receives; undefined past the last stage. */
  stage?: PlannedStage;
  id: string;
  dir: string;
  disk: string;
  /** A root layer's backing file: the source image pinned beside its disk (source.disk with backing: true). */
  baseImage?: string;
}

/** Where a cloud-image build's first disk comes from (source.disk). */
export interface DiskOrigin {
  path: string;
  /** A qcow2 overlay on the image instead of a converted copy. */
  backing: boolean;
}

export interface LiveGuest {
  /** Runs a command in the guest and says how it exited. */
  exec(command: string, signal: AbortSignal): Promise<{ exitCode: number | null }>;
  /** Moves the running guest onto `overlay`, a new qcow2 on top of `disk` (BuildVm.snapshotDisk). */
  snapshotDisk(disk: string, overlay: string, signal: AbortSignal): Promise<void>;
  /** Pauses the guest around `whilePaused` (the snapshot) and keeps its memory in `file` (BuildVm.saveState). */
  saveState?(file: string, whilePaused: () => Promise<void>, signal: AbortSignal): Promise<SavedState>;
  /** True while an earlier checkpoint's memory is still being written (BuildVm.savingState). */
  savingState?(): boolean;
}

/** What a live checkpoint cost: the build's wait, the guest's pause, and where its memory went. */
export interface LiveCheckpoint {
  ms: number;
  pausedMs: number;
  /** skipped: the disk only, as the memory of an earlier checkpoint was still being written. */
  memory: 'saved' | 'background' | 'skipped' | 'none';
}

export interface CheckpointExtras {
  /** The VM's UEFI vars file, kept with the layer so a resumed guest finds its boot entries. */
  efiVars?: string;
  /** The generated key the guest was installed with (install layers). */
  sshKey?: KeyPair;
  /** The cloud-init instance-id the guest was configured with (install layers of cloud-image builds). */
  instanceId?: string;
}

type Committed = { ok: boolean; id: string | null; sha256: string | null };

export class LayerWriter {
  active?: ActiveDisk;
  /** Directories this build made, committed or not. */
  readonly created: string[] = [];
  readonly committed: string[] = [];
  private commits: Promise<Committed>;
  private readonly stopCommits = new AbortController();
  private stopped = false;

  constructor(
    private readonly store: LayerStore,
    private readonly stages: readonly PlannedStage[],
    private readonly base: StoredLayer | undefined,
    /** The stage the first disk receives: the one after the resumed layer's. */
    private readonly firstStage: number,
    private readonly sizeBytes: number,
    /** Template and kiln version for the records; keepMemory: live checkpoints keep the guest's memory (cache.memory). */
    private readonly meta: { template: string; kiln: string; keepMemory?: boolean },
    private readonly log: Log,
    /** Told of each stored layer (the build leases it, so no prune removes it under the build). */
    private readonly onStored: (id: string, stage: string) => Promise<void> = async () => {},
    /** Takes the stage's writer lock (stage-locks.ts); false: another build is storing that stage now. */
    private readonly claim: (stage: PlannedStage) => Promise<boolean> = async () => true,
  ) {
    this.commits = Promise.resolve({ ok: true, id: base?.id ?? null, sha256: base?.record.sha256 ?? null });
  }

  /**
   * Creates the disk the VM boots: an overlay on the resumed layer; else empty for an
   * install, or made from the cloud image (`origin`).
   */
  async start(signal: AbortSignal, origin?: DiskOrigin): Promise<ActiveDisk> {
    this.active = await this.newDisk(this.stages[this.firstStage], this.base?.id, signal, this.base ? undefined : origin);
    return this.active;
  }

  /**
   * Freezes the running guest's disk as the layer of `label`; a no-op (undefined) when
   * that stage is not cached. Says how long the build waited and the guest was paused.
   */
  async checkpointLive(label: string, guest: LiveGuest, extras: CheckpointExtras, signal: AbortSignal): Promise<LiveCheckpoint | undefined> {
    const frozen = this.active;
    const at = this.stages.findIndex((s) => s.label === label);
    if (this.stopped || !frozen?.stage || at < 0) return undefined;
    if (at < this.stages.indexOf(frozen.stage)) {
      // A retried step ran a stage again on a disk that already has it: what follows
      // would not be what a fresh build makes.
      return this.stop(`${label} ran again on a disk that already had it`);
    }
    if (frozen.stage.label !== label || !frozen.stage.cacheable) return undefined;
    const begin = performance.now();
    // What the guest wrote is on the disk once sync returns; the snapshot is then what a
    // power cut at that moment would leave, which a journaling filesystem replays on boot.
    const sync = await guest.exec('sync', signal);
    if (sync.exitCode !== 0) return this.stop(`sync in the guest exited with ${sync.exitCode}`);
    try {
      const next = await this.newDisk(this.stages[this.stages.indexOf(frozen.stage) + 1], frozen.id, signal);
      const paused = performance.now();
      const wantsMemory = !!this.meta.keepMemory && guest.saveState !== undefined;
      // Waiting for the earlier state would stop the build for as long as the rest of
      // its write: this stage ran quicker than that, and a resume runs it again instead.
      const skipped = wantsMemory && guest.savingState?.() === true;
      const memory = await this.freeze(label, guest, frozen, next, wantsMemory && !skipped, signal);
      const pausedMs = memory?.pauseMs ?? Math.round(performance.now() - paused);
      this.active = next;
      await this.commit(frozen, extras, skipped ? 'skipped' : memory && { ...memory, label });
      const ms = Math.round(performance.now() - begin);
      const kept = skipped
        ? '; disk only: the last memory checkpoint is still being written'
        : !memory ? '' : memory.background ? `; guest paused ${memory.pauseMs} ms, its memory written in the background` : `; memory ${formatSize(await memory.written)}, guest paused ${memory.pauseMs} ms`;
      this.log.info(`checkpoint ${label}: layer ${frozen.id} (${ms} ms${kept})`);
      return { ms, pausedMs, memory: skipped ? 'skipped' : !memory ? 'none' : memory.background ? 'background' : 'saved' };
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) throw error;
      return this.stop(`checkpoint ${label} failed: ${(error as Error).message}`);
    }
  }

  /**
   * Moves the guest onto `next`, keeping its memory with the frozen layer when
   * `withMemory` (the VM can, the template wants it, no earlier state is being written). A state that cannot be saved after the snapshot
   * leaves a disk-only layer: resuming from it boots, as before memory checkpoints.
   */
  private async freeze(label: string, guest: LiveGuest, frozen: ActiveDisk, next: ActiveDisk, withMemory: boolean, signal: AbortSignal): Promise<SavedState | undefined> {
    const snapshot = () => guest.snapshotDisk(frozen.disk, next.disk, signal);
    if (!withMemory || !guest.saveState) {
      await snapshot();
      return undefined;
    }
    let snapshotted = false;
    try {
      return await guest.saveState(join(frozen.dir, STATE_FILE), async () => {
        await snapshot();
        snapshotted = true;
      }, signal);
    } catch (error) {
      if (!snapshotted || error instanceof CancelledError || signal.aborted) throw error;
      this.log.warn(`checkpoint ${label}: the layer keeps its disk only, not the guest's memory: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** After the guest powered off: the active disk is the layer of `label`. */
  async checkpointStopped(label: string, extras: CheckpointExtras): Promise<void> {
    const frozen = this.active;
    if (!frozen?.stage || frozen.stage.label !== label || !frozen.stage.cacheable || this.stopped) return;
    try {
      await this.commit(frozen, extras);
    } catch (error) {
      return this.stop(`checkpoint ${label} failed: ${(error as Error).message}`);
    }
    this.log.info(`checkpoint ${label}: layer ${frozen.id}`);
  }

  /** Waits for the commits (or stops them when cancelled); the ids committed. */
  async settle(cancel: boolean): Promise<string[]> {
    if (cancel) this.stopCommits.abort();
    await this.commits;
    return this.committed;
  }

  /** Ends checkpointing for this build, saying why; undefined, for a checkpoint that then takes none. */
  private stop(why: string): undefined {
    this.stopped = true;
    this.log.warn(`cache: no more checkpoints in this build: ${why}`);
    return undefined;
  }

  private async newDisk(stage: PlannedStage | undefined, parentId: string | undefined, signal: AbortSignal, origin?: DiskOrigin): Promise<ActiveDisk> {
    if (stage?.cacheable && !this.stopped && !(await this.claim(stage))) this.stop(`another build is storing ${stage.label} at the same time`);
    const id = newLayerId(stage?.cacheable ? stage.key : undefined);
    const dir = this.store.dir(id);
    await mkdir(dir, { recursive: true });
    this.created.push(id);
    await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
    const disk = join(dir, DISK_FILE);
    if (!origin) {
      // The backing file is named relative to the layer (../<parent>/disk.qcow2), so the
      // cache can move; recorded without opening it (-u), as the running VM may still
      // be writing the parent that the snapshot then freezes.
      const backing = parentId ? { backing: { path: backingName(parentId), format: 'qcow2', unsafe: true } } : {};
      await createDisk(disk, this.sizeBytes, 'qcow2', { ...backing, signal });
      return { stage, id, dir, disk };
    }
    const { base } = await prepareDiskImage({ source: origin.path, target: disk, backing: origin.backing, sizeBytes: this.sizeBytes, signal });
    return { stage, id, dir, disk, ...(base ? { baseImage: base } : {}) };
  }

  /**
   * Copies what the layer needs besides its disk now (the VM may change it later), then
   * queues the commit. `memory`: the state saved with it, 'skipped' when an earlier one
   * was still being written, absent when none was wanted.
   */
  private async commit(layer: ActiveDisk, extras: CheckpointExtras, memory?: (SavedState & { label: string }) | 'skipped'): Promise<void> {
    const stage = layer.stage!;
    if (extras.efiVars) await copyFile(extras.efiVars, join(layer.dir, EFI_VARS_FILE));
    const sshKey = stage.kind === 'install' && extras.sshKey;
    if (sshKey) {
      await writeFile(join(layer.dir, SSH_KEY_FILE), sshKey.privateKey, { mode: 0o600 });
      await chmod(join(layer.dir, SSH_KEY_FILE), 0o600);
      await writeFile(join(layer.dir, `${SSH_KEY_FILE}.pub`), `${sshKey.publicKey}\n`);
    }
    const signal = this.stopCommits.signal;
    this.commits = this.commits.then(async (parent): Promise<Committed> => {
      const failed: Committed = { ok: false, id: layer.id, sha256: null };
      if (!parent.ok) return failed;
      try {
        const check = await checkImage(layer.disk, signal);
        if (check.corruptions > 0) throw new Error(`qemu-img check found ${check.corruptions} corruption(s) in the new layer`);
        const sha256 = await fileSha256(layer.disk, signal);
        const kept = memory && memory !== 'skipped' && (await this.keptMemory(layer, memory, signal));
        const record: LayerRecord = {
          format: CACHE_FORMAT,
          id: layer.id,
          key: stage.key,
          template: this.meta.template,
          stage: stage.label,
          kind: stage.kind,
          state: stage.state,
          parent: parent.id,
          parentSha256: parent.sha256,
          ...(layer.baseImage ? { baseImage: await fileIdentity(layer.baseImage) } : {}),
          sha256,
          bytes: (await stat(layer.disk)).size,
          ...(extras.efiVars ? { efiVarsSha256: await fileSha256(join(layer.dir, EFI_VARS_FILE), signal) } : {}),
          ...(sshKey ? { sshKey: true } : {}),
          ...(kept ? { memory: kept } : {}),
          ...(memory === 'skipped' ? { memorySkipped: true } : {}),
          ...(stage.kind === 'install' && extras.instanceId ? { instanceId: extras.instanceId } : {}),
          inputs: stage.inputs,
          created: new Date().toISOString(),
          kiln: this.meta.kiln,
        };
        await writeLayerRecord(layer.dir, record);
        await this.store.touch([layer.id]);
        this.committed.push(layer.id);
        await this.onStored(layer.id, stage.label);
        this.log.debug(`cache: stored ${stage.label} as layer ${layer.id} (${record.bytes} bytes)`);
        return { ok: true, id: layer.id, sha256 };
      } catch (error) {
        if (!signal.aborted) this.log.warn(`cache: could not store ${stage.label}: ${(error as Error).message}`);
        return failed;
      }
    });
  }

  /** The record of a layer's saved memory once its file is whole; undefined (the layer keeps its disk only) when the save failed. */
  private async keptMemory(layer: ActiveDisk, memory: SavedState & { label: string }, signal: AbortSignal): Promise<LayerRecord['memory']> {
    let bytes: number;
    try {
      bytes = await memory.written;
    } catch (error) {
      if (signal.aborted) throw error;
      this.log.warn(`checkpoint ${memory.label}: the layer keeps its disk only, not the guest's memory: ${(error as Error).message}`);
      await rm(join(layer.dir, STATE_FILE), { force: true });
      return undefined;
    }
    if (memory.background) this.log.debug(`checkpoint ${memory.label}: memory ${formatSize(bytes)} written`);
    return { sha256: await fileSha256(join(layer.dir, STATE_FILE), signal), bytes, pauseMs: memory.pauseMs, fingerprint: memory.fingerprint };
  }
}

async function fileIdentity(path: string): Promise<{ path: string; size: number; mtimeMs: number }> {
  const info = await stat(path);
  return { path, size: info.size, mtimeMs: info.mtimeMs };
}
