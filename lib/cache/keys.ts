// Stage keys. A key is a hash of everything that determined a layer: the key of the
// layer under it, the stage's kind, and the digest of each of its named inputs (see
// stage-inputs.ts). Names matter only for messages; a key changes exactly when a digest
// does. Pure.
import { createHash } from 'node:crypto';

/** Bumped whenever what goes into a key or a layer changes meaning: old layers then never match. */
export const CACHE_FORMAT = 1;

export type StageKind = 'install' | 'provision' | 'shutdown';

export interface StageInputs {
  /** "install", "provision[2]", "shutdown": how messages name the stage. */
  label: string;
  kind: StageKind;
  /** Input name ("script scripts/setup.sh", "http.content /ks.cfg") -> sha256 hex of its value. */
  inputs: Record<string, string>;
}

/** JSON with object keys sorted at every level, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The digest of a resolved template value (a string, number, list or mapping). */
export const digestOf = (value: unknown): string => sha256Hex(canonicalJson(value ?? null));

export function stageKey(parentKey: string | null, stage: Pick<StageInputs, 'kind' | 'inputs'>): string {
  return sha256Hex(canonicalJson({ format: CACHE_FORMAT, parent: parentKey, kind: stage.kind, inputs: stage.inputs }));
}

/** Keys of a chain of stages, each on top of the one before. */
export function chainKeys(stages: readonly Pick<StageInputs, 'kind' | 'inputs'>[]): string[] {
  const keys: string[] = [];
  for (const stage of stages) keys.push(stageKey(keys.at(-1) ?? null, stage));
  return keys;
}
