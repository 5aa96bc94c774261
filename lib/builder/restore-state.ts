// Restoring a resumed layer's running guest instead of booting its disk: start-vm asks
// the cache for the layer's verified state and hands it to the driver; the driver says
// whether it restored it or booted, and why. Either way the build log says which.
import type { SavedStateLaunch } from '../hypervisor/driver.js';
import type { RestoreOutcome } from '../hypervisor/build-vm.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';

/** The state to restore, when the build resumes from a layer that kept one intact. */
export async function savedStateLaunch(ctx: BuildContext, options: { bootsInstaller: boolean }, signal: AbortSignal): Promise<SavedStateLaunch | undefined> {
  const saved = await ctx.cache?.savedState(signal);
  if (!saved) return undefined;
  if ('why' in saved) {
    ctx.log.warn(`cache: booting the resumed disk instead of restoring the guest: ${saved.why}`);
    ctx.restore = { restored: false, why: saved.why };
    return undefined;
  }
  // The installer's machine had its ISO in the CD drive; the restored one needs the same drive.
  return { ...saved, ...(options.bootsInstaller ? { installer: need(ctx.source, 'source').path } : {}) };
}

/** Logs and emits how the resumed VM started; the manifest records it. */
export function reportRestore(ctx: BuildContext, outcome: RestoreOutcome | undefined): void {
  if (outcome) ctx.restore = outcome;
  const stage = ctx.cache?.resumedStage;
  if (!ctx.restore || stage === undefined) return;
  if (ctx.restore.restored) ctx.log.info(`cache: restored the running guest of ${stage} in ${ctx.restore.ms} ms (no boot)`);
  else if (outcome) ctx.log.warn(`cache: booting the disk of ${stage} instead of restoring its guest: ${ctx.restore.why}`);
  ctx.emit({ type: 'restore', stage, ...(ctx.restore.restored ? { restored: true, ms: ctx.restore.ms } : { restored: false, why: ctx.restore.why }) });
}
