// Where a build resumes when the cached chain ends in layers that kept no memory because
// an earlier checkpoint's memory was still being written (record.memorySkipped). Those
// stages ran quicker than one state takes to write, so running them again on the guest
// restored from the memory below them costs seconds, where resuming from their disk
// costs a boot.
import type { ResumePlan } from './plan.js';
import type { StoredLayer } from './store.js';

/**
 * The plan, with its chain cut back to the layer below the skipped ones when that
 * layer's memory is `restorable`; the plan as it was otherwise. Only skipped layers are
 * stepped over: a layer without memory for another reason (cache.memory off when it was
 * made, a failed save, a shared layer) may have taken long, and its disk is resumed.
 */
export async function resumeFromMemoryBelow(plan: ResumePlan, restorable: (layer: StoredLayer) => Promise<boolean>): Promise<ResumePlan> {
  const { chain, stages } = plan;
  let at = chain.length - 1;
  while (at >= 0 && chain[at]!.record.memorySkipped) at--;
  if (at === chain.length - 1 || at < 0 || !chain[at]!.record.memory || !(await restorable(chain[at]!))) return plan;
  const again = stages.slice(at + 1, chain.length).map((s) => s.label);
  const why = `${again.join(' and ')} ${again.length > 1 ? 'run' : 'runs'} again on the guest restored after ${stages[at]!.label}: ${again.length > 1 ? 'their layers' : 'its layer'} kept no memory (taken while an earlier memory checkpoint was still being written)`;
  return { ...plan, chain: chain.slice(0, at + 1), reason: plan.reason ? `${why}; then ${plan.reason}` : why };
}
