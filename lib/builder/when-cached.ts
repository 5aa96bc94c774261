// When the stage cache makes a step unnecessary: the runtime half of "does this step
// run", decided once the cache lookup has said where the build resumes. The static half
// (what the template and driver call for) is step-lists.ts; nothing else skips steps.
import type { Step } from '../pipeline/step.js';
import type { BuildContext } from './context.js';

type Wrap = (step: Step<BuildContext>) => Step<BuildContext>;

const skipWhen =
  (reason: (ctx: BuildContext) => boolean): Wrap =>
  (step) => ({ ...step, skip: (ctx) => reason(ctx) || (step.skip?.(ctx) ?? false) });

/** Skipped when the build resumes from a cached layer: the installer's work is on it. */
export const unlessResumed: Wrap = skipWhen((ctx) => ctx.cache?.resumed !== undefined);

/** Skipped when every stage came from the cache: no VM runs, the cached disk is exported. */
export const unlessFinished: Wrap = skipWhen((ctx) => ctx.cache?.finished === true);

/** Runs only with a stage cache session (none for drivers without snapshots, or when the cache could not be opened). */
export const withCache: Wrap = skipWhen((ctx) => ctx.cache === undefined);
