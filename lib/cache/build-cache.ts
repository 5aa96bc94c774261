// One build's view of the stage cache: at the start it works out every stage's key,
// finds and verifies the longest cached chain and says where the build resumes and why
// the next stage runs; during the build it writes checkpoints (layer-writer.ts); at the
// end it settles the commits, removes unfinished layers and prunes to the size limit.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../log/log.js';
import type { CleanupInfo } from '../pipeline/step.js';
import type { KeyPair } from '../ssh/key-pair.js';
import type { Template } from '../template/types.js';
import { formatSize } from '../util/size.js';
import { chainKeys } from './keys.js';
import { LayerWriter, type CheckpointExtras, type DiskOrigin, type LiveCheckpoint, type LiveGuest } from './layer-writer.js';
import { EFI_VARS_FILE, SSH_KEY_FILE } from './layout.js';
import { resumeFromMemoryBelow } from './memory-resume.js';
import { planResume, type PlannedStage, type ResumePlan } from './plan.js';
import { pruneStore } from './prune.js';
import { verifySavedState, type UsableState } from './saved-state.js';
import { sourceIdentity } from './source-identity.js';
import { stageDefinitions } from './stage-inputs.js';
import { pullShared, pushShared, type SharedCacheOptions } from '../shared-cache/share.js';
import { StageLocks } from './stage-locks.js';
import { LayerStore, leaseOwner, withAncestors, withDescendants, type LeaseOwner, type StoredLayer } from './store.js';

export interface BuildCacheOptions {
  /** kiln's cache root; layers go to <cacheDir>/layers. */
  cacheDir: string;
  template: Template;
  /** The fetched source: its checksum when verified, else its bytes identify it. */
  source: { path: string; checksum?: string };
  /** Reuse nothing; fresh layers are still stored and replace the old ones. */
  noCache: boolean;
  limitBytes: number;
  kilnVersion: string;
  log: Log;
  signal: AbortSignal;
  /** Told of each layer this build stores, once it is complete (the --json `checkpoint` event). */
  onStored?: (stage: string, layer: string) => void;
  /** --cache-from / --cache-to: a stage cache shared through a registry (lib/shared-cache). */
  shared?: SharedCacheOptions;
}

export class BuildCache {
  private constructor(
    private readonly store: LayerStore,
    readonly plan: ResumePlan,
    private readonly writer: LayerWriter,
    private readonly options: BuildCacheOptions,
    /** The generated key pair the resumed guest was installed with. */
    readonly sshKey: KeyPair | undefined,
    private readonly lease: LeaseOwner,
    private readonly locks: StageLocks,
    /** The resumed layer's state, when planning already verified it. */
    private verified?: UsableState,
  ) {}

  static async open(options: BuildCacheOptions): Promise<BuildCache> {
    const { template, log, signal } = options;
    const store = new LayerStore(options.cacheDir);
    await mkdir(store.root, { recursive: true });
    const begin = performance.now();
    const definitions = await stageDefinitions(template, await sourceIdentity(options.cacheDir, options.source, signal), signal);
    const keys = chainKeys(definitions);
    const stages: PlannedStage[] = definitions.map((d, i) => ({ ...d, key: keys[i]! }));
    // Layers another runner shared come first: planning then resumes from them like local ones.
    if (options.shared && !options.noCache) await pullShared(stages, store, options.shared, log);
    const lease = leaseOwner(randomBytes(4).toString('hex'));
    const locks = new StageLocks(options.cacheDir);
    const { plan, layers, verified } = await planAsWriter(store, stages, locks, options);
    await store.setLease(plan.chain.map((l) => l.id), lease);
    await store.touch(plan.chain.map((l) => l.id));
    if (plan.rejected.length > 0) {
      for (const { layer, why } of plan.rejected) log.warn(`cache: layer ${layer.id} (${layer.record.stage}) is unusable: ${why}; removing it`);
      const others = withAncestors(layers, await store.leasedIds(lease));
      await store.remove([...withDescendants(layers, plan.rejected.map((r) => r.layer.id))].filter((id) => !others.has(id)));
    }
    const install = plan.chain[0];
    const sshKey = install?.record.sshKey ? await readKeyPair(install.dir) : undefined;
    const resumed = plan.chain.at(-1);
    const leased = plan.chain.map((l) => l.id);
    const meta = { template: template.name, kiln: options.kilnVersion, keepMemory: template.cache.memory };
    const claim = (stage: PlannedStage) => (options.noCache ? Promise.resolve(true) : locks.claim(stage.key));
    const writer = new LayerWriter(store, stages, resumed, plan.chain.length, template.machine.disk_bytes, meta, log, async (id, stage) => {
      leased.push(id);
      options.onStored?.(stage, id);
      await store.setLease(leased, lease);
      await locks.release(stages.find((s) => s.label === stage)!.key);
    }, claim);
    const cache = new BuildCache(store, plan, writer, options, sshKey, lease, locks, verified);
    cache.report(Math.round(performance.now() - begin));
    return cache;
  }

  /** The layer the build resumes from. */
  get resumed(): StoredLayer | undefined {
    return this.plan.chain.at(-1);
  }

  /** The label of the stage the build resumes after; undefined when it starts from nothing. */
  get resumedStage(): string | undefined {
    return this.plan.chain.length > 0 ? this.plan.stages[this.plan.chain.length - 1]?.label : undefined;
  }

  /** Every stage came from the cache: nothing to boot, the resumed disk is the result. */
  get finished(): boolean {
    return this.resumed?.record.state === 'stopped';
  }

  /** How many provisioners the resumed disk has already run. */
  get provisionersDone(): number {
    const last = this.plan.stages[this.plan.chain.length - 1];
    if (!last || last.kind === 'install') return 0;
    return last.kind === 'provision' ? last.provisioner! + 1 : this.options.template.provision.length;
  }

  /** The cloud-init instance-id the resumed guest was configured with. */
  get instanceId(): string | undefined {
    return this.plan.chain[0]?.record.instanceId;
  }

  /** The resumed guest's UEFI vars, when the layer kept them. */
  get efiVars(): string | undefined {
    const layer = this.resumed;
    return layer?.record.efiVarsSha256 ? join(layer.dir, EFI_VARS_FILE) : undefined;
  }

  /**
   * The resumed layer's saved memory, verified against its checksum: what the VM
   * restores instead of booting; `why` when the layer has one that cannot be used.
   */
  async savedState(signal: AbortSignal): Promise<UsableState | { why: string } | undefined> {
    const layer = this.resumed;
    // cache: { memory: false } turns memory checkpoints off both ways: none saved, none restored.
    if (!layer || this.finished || !this.options.template.cache.memory) return undefined;
    return this.verified ?? verifySavedState(layer, signal);
  }

  /** The disk the build works on: the cached result, or a new disk (on top of the resumed layer). */
  async prepareDisk(signal: AbortSignal, origin?: DiskOrigin): Promise<{ path: string; format: 'qcow2' }> {
    if (this.finished) return { path: this.resumed!.disk, format: 'qcow2' };
    const active = await this.writer.start(signal, origin);
    return { path: active.disk, format: 'qcow2' };
  }

  /**
   * Freezes the running guest's disk as the layer of `label`; returns the disk the VM
   * writes to from now on (a new overlay after a checkpoint, else the same one), and
   * what the checkpoint cost when one was taken.
   */
  async checkpointLive(label: string, guest: LiveGuest, extras: CheckpointExtras, signal: AbortSignal): Promise<{ disk: { path: string; format: 'qcow2' }; taken?: LiveCheckpoint }> {
    const taken = await this.writer.checkpointLive(label, guest, extras, signal);
    return { disk: { path: this.writer.active!.disk, format: 'qcow2' }, ...(taken ? { taken } : {}) };
  }

  checkpointStopped(label: string, extras: CheckpointExtras): Promise<void> {
    return this.writer.checkpointStopped(label, extras);
  }

  /** Settles the commits, removes what this build left unfinished and, after a success, prunes. */
  async close(info: CleanupInfo): Promise<void> {
    const { log } = this.options;
    const committed = await this.writer.settle(info.cancelled);
    const unfinished = this.writer.created.filter((id) => !committed.includes(id));
    if (info.keepFiles && unfinished.length > 0) {
      log.info(`kept the unfinished disk(s) in ${unfinished.map((id) => this.store.dir(id)).join(', ')} for inspection`);
    } else {
      await this.store.remove(unfinished);
    }
    try {
      if (!info.failed && this.options.shared) {
        const { layers } = await this.store.list();
        const last = layers.find((l) => l.id === committed.at(-1)) ?? this.resumed;
        await pushShared(last, this.store, this.options.shared, log);
      }
      if (!info.failed) await this.tidy(committed);
    } catch (error) {
      log.warn(`cache: pruning failed: ${(error as Error).message}`);
    } finally {
      await this.locks.releaseAll();
      await this.store.setLease([], this.lease);
    }
  }

  /** Drops older layers the new ones replace (same key: --no-cache), then the least recently used ones over the limit. */
  private async tidy(committed: string[]): Promise<void> {
    const { log, limitBytes } = this.options;
    const keep = [...this.plan.chain.map((l) => l.id), ...committed];
    const { layers } = await this.store.list();
    const keys = new Set(layers.filter((l) => committed.includes(l.id)).map((l) => l.record.key));
    const replaced = layers.filter((l) => keys.has(l.record.key) && !committed.includes(l.id)).map((l) => l.id);
    if (replaced.length > 0) {
      const shielded = withAncestors(layers, [...keep, ...(await this.store.leasedIds(this.lease))]);
      await this.store.remove([...withDescendants(layers, replaced)].filter((id) => !shielded.has(id)));
    }
    const result = await pruneStore(this.store, limitBytes, keep, this.lease);
    if (result.removed.length > 0) {
      log.info(`cache: removed ${result.removed.length} least recently used layer(s), ${formatSize(result.freedBytes)}, to stay under ${formatSize(limitBytes)}`);
    }
    log.debug(`cache: ${formatSize(result.keptBytes)} in ${this.store.root} (limit ${formatSize(limitBytes)})`);
  }

  private report(ms: number): void {
    const { log } = this.options;
    const { stages, chain, reason } = this.plan;
    const last = stages[chain.length - 1];
    if (!last) log.info(`cache: nothing to resume from: ${reason}`);
    else if (this.finished) log.info(`cache: all ${stages.length} stages are cached: the image comes from layer ${chain.at(-1)!.id}`);
    else {
      log.info(`cache: resuming from ${last.label} (${chain.length} of ${stages.length} stages cached, layer ${chain.at(-1)!.id})`);
      log.info(`cache: ${reason}`);
    }
    log.debug(`cache: keys ${stages.map((s) => `${s.label}=${s.key.slice(0, 16)}`).join(' ')}; planned in ${ms} ms`);
  }
}

/**
 * Plans the resume and claims the stage the build makes first (stage-locks.ts). When
 * another build is making that stage, waits for it and plans again: its layer is then
 * where this build resumes (or, if it failed, this build makes the stage itself).
 */
async function planAsWriter(store: LayerStore, stages: PlannedStage[], locks: StageLocks, options: BuildCacheOptions): Promise<{ plan: ResumePlan; layers: StoredLayer[]; verified?: UsableState }> {
  const { log, signal } = options;
  for (;;) {
    const { layers } = await store.list();
    let verified: UsableState | undefined;
    const planned = await planResume(stages, layers, {
      template: options.template.name,
      noCache: options.noCache,
      verify: (layer, parent) => store.verifyLayer(layer, parent, signal),
    });
    const plan = !options.template.cache.memory
      ? planned
      : await resumeFromMemoryBelow(planned, async (layer) => {
          const state = await verifySavedState(layer, signal);
          verified = state && 'state' in state ? state : undefined;
          return verified !== undefined;
        });
    const next = plan.stages[plan.chain.length];
    // --no-cache builds reuse nothing, so waiting for another's layer would gain nothing.
    if (!next?.cacheable || options.noCache || (await locks.claim(next.key))) return { plan, layers, ...(verified ? { verified } : {}) };
    await locks.wait(next.key, signal, (holder) => {
      log.info(`cache: another build (pid ${holder.pid}) is making ${next.label}; waiting to resume from its layer`);
    });
    await locks.release(next.key); // planned again: this build may resume past it now
  }
}

async function readKeyPair(dir: string): Promise<KeyPair> {
  const privateKey = await readFile(join(dir, SSH_KEY_FILE), 'utf8');
  const publicKey = (await readFile(join(dir, `${SSH_KEY_FILE}.pub`), 'utf8')).trim();
  return { privateKey, publicKey };
}
