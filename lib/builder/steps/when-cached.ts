// Steps whose work a resumed build finds already done on the cached disk.
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';

/** Skipped when the build resumes from a cached layer: the installer's work is on it. */
export function unlessResumed(step: Step<BuildContext>): Step<BuildContext> {
  return { ...step, skip: (ctx) => ctx.cache?.resumed !== undefined || (step.skip?.(ctx) ?? false) };
}

/** Skipped when every stage came from the cache: no VM runs, the cached disk is exported. */
export function unlessFinished(step: Step<BuildContext>): Step<BuildContext> {
  return { ...step, skip: (ctx) => ctx.cache?.finished === true || (step.skip?.(ctx) ?? false) };
}
