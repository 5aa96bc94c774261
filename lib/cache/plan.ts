// Which stages the cache already holds: the longest chain of verified layers whose keys
// match the build's stages, each standing on the one before. The build resumes after
// the last of them; the reason the next stage missed is worked out for the user.
import { explainMiss } from './explain.js';
import type { StageDefinition } from './stage-inputs.js';
import type { StoredLayer } from './store.js';

export interface PlannedStage extends StageDefinition {
  key: string;
}

export interface ResumePlan {
  stages: PlannedStage[];
  /** Verified layers for stages[0..chain.length-1]; the build resumes after the last one. */
  chain: StoredLayer[];
  /** Why stages[chain.length] runs; undefined when every stage came from the cache. */
  reason?: string;
  /** Layers found unusable on the way, with why; the caller removes them. */
  rejected: { layer: StoredLayer; why: string }[];
}

export interface PlanOptions {
  template: string;
  /** --no-cache: nothing is reused. */
  noCache: boolean;
  /** Why the layer must not be used, or undefined when intact. */
  verify(layer: StoredLayer, parent: StoredLayer | undefined): Promise<string | undefined>;
}

export async function planResume(stages: PlannedStage[], layers: readonly StoredLayer[], options: PlanOptions): Promise<ResumePlan> {
  const plan: ResumePlan = { stages, chain: [], rejected: [] };
  if (options.noCache) {
    plan.reason = 'every stage runs (--no-cache)';
    return plan;
  }
  for (const stage of stages) {
    const parent = plan.chain.at(-1);
    const parentId = parent?.id ?? null;
    if (!stage.cacheable) {
      const first = stages.find((s) => !s.cacheable)!;
      plan.reason = `${first.label} has cache: false, so it and every later stage run`;
      return plan;
    }
    const candidates = layers
      .filter((l) => l.record.key === stage.key && l.record.parent === parentId)
      .sort((a, b) => b.record.created.localeCompare(a.record.created));
    let found: StoredLayer | undefined;
    const unusable: string[] = [];
    for (const candidate of candidates) {
      const why = await options.verify(candidate, parent);
      if (why === undefined) {
        found = candidate;
        break;
      }
      plan.rejected.push({ layer: candidate, why });
      unusable.push(why);
    }
    if (!found) {
      plan.reason = unusable.length
        ? `${stage.label}: its cached layer is unusable (${unusable.join('; ')})`
        : explainMiss(stage.label, stage.inputs, closest(layers, stage, parentId, options.template)?.record.inputs);
      return plan;
    }
    plan.chain.push(found);
  }
  return plan;
}

/** The layer this stage is best compared with: the latest one for the same stage on the same parent, else of the same template. */
function closest(layers: readonly StoredLayer[], stage: PlannedStage, parentId: string | null, template: string): StoredLayer | undefined {
  const latest = (list: StoredLayer[]) => list.sort((a, b) => b.lastUsed - a.lastUsed)[0];
  const same = layers.filter((l) => l.record.stage === stage.label && l.record.kind === stage.kind);
  return latest(same.filter((l) => l.record.parent === parentId)) ?? latest(same.filter((l) => l.record.template === template));
}
