import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGES_LOCK, type PackageCacheStats } from '../../package-cache/index.js';
import type { Step } from '../../pipeline/step.js';
import { writeJsonAtomic } from '../../util/write-atomic.js';
import type { BuildContext } from '../context.js';

export interface Manifest {
  name: string;
  kiln_version: string;
  template: { file: string; sha256: string };
  source?: { url: string; checksum?: string };
  accelerator?: string;
  files: { file: string; format: string; bytes: number; sha256: string }[];
  /** The box as a box catalog entry names it (`vagrant box add --checksum-type sha256 --checksum ...`). */
  vagrant?: { box: string; provider: string; checksum_type: 'sha256'; checksum: string };
  typing?: { keys: number; ms: number };
  /** The disk's data before and after the shrink step, and what it did to each filesystem. */
  shrink?: { before_bytes: number; after_bytes: number; filesystems: { mount: string; outcome: string }[] };
  /** proxy: cache: what the guest's package cache did (the files are in packages.lock.json). */
  package_cache?: PackageCacheStats & { offline: boolean; lock: string; files: number };
  /**
   * A build that resumed from the stage cache: the stage it resumed after, whether it
   * restored that layer's running guest (restore_ms: loading its memory) or booted its
   * disk (booted_because, when the layer had a state that was not used).
   */
  resumed?: { from: string; restored_memory: boolean; restore_ms?: number; booted_because?: string };
  steps: { name: string; ms: number; status: string }[];
  finished: string;
}

/** The manifest's `resumed` entry, from what the cache and start-vm said. */
export function resumedEntry(ctx: Pick<BuildContext, 'cache' | 'restore'>): Manifest['resumed'] {
  const from = ctx.cache?.resumedStage;
  if (from === undefined) return undefined;
  const restore = ctx.restore;
  if (restore?.restored) return { from, restored_memory: true, restore_ms: restore.ms };
  return { from, restored_memory: false, ...(restore ? { booted_because: restore.why } : {}) };
}

/** manifest.json: what was built from what, and how long each step took. Written last, atomically. */
export interface ManifestOptions {
  name: string;
  kilnVersion: string;
  template: Manifest['template'];
}

export function writeManifest(options: ManifestOptions): Step<BuildContext> {
  return {
  name: 'manifest',
  async run(ctx) {
    const cache = ctx.packageCache;
    const lockPath = join(ctx.outputDir, PACKAGES_LOCK);
    // What the guest fetched, written only by a build that got this far (the last step).
    if (cache) await writeJsonAtomic(lockPath, ctx.log.masker.maskDeep(cache.recording.lock()));
    const manifest: Manifest = {
      name: options.name,
      kiln_version: options.kilnVersion,
      template: options.template,
      source: ctx.source && { url: ctx.source.url, checksum: ctx.source.checksum },
      accelerator: ctx.vm?.accelerator?.name,
      files: ctx.exports,
      vagrant: ctx.box && { box: ctx.box.file, provider: ctx.box.provider, checksum_type: 'sha256', checksum: ctx.box.sha256 },
      typing: ctx.typing && { keys: ctx.typing.keys, ms: Math.round(ctx.typing.ms) },
      shrink: ctx.shrink && { before_bytes: ctx.shrink.before, after_bytes: ctx.shrink.after, filesystems: ctx.shrink.filesystems },
      package_cache: cache && { ...cache.stats, offline: ctx.options.offline === true, lock: PACKAGES_LOCK, files: cache.recording.size },
      resumed: resumedEntry(ctx),
      // This step's own time is negligible; the runner's timings so far are final.
      steps: ctx.timings.map((t) => ({ name: t.name, ms: Math.round(t.ms), status: t.status })),
      finished: new Date().toISOString(),
    };
    const path = join(ctx.outputDir, 'manifest.json');
    // Source URLs may carry credentials; the manifest goes where build logs go.
    try {
      await writeJsonAtomic(path, ctx.log.masker.maskDeep(manifest));
    } catch (error) {
      if (cache) await rm(lockPath, { force: true });
      throw error;
    }
  },
  };
}
