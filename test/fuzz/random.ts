// Seeded randomness for the fuzz suites: mulberry32 (a 32-bit PRNG, plenty for test
// inputs), so a failing case is reproduced by its seed and index.
// KILN_FUZZ_BUDGET sets the number of cases, KILN_FUZZ_SEED the seed (docs/debugging.md).

export type Random = () => number;

/** mulberry32: a float in [0, 1) per call, the same sequence for the same seed. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (random: Random, below: number): number => Math.floor(random() * below);
export const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

/**
 * How long one case may take before it counts as a runaway (exponential backtracking, a
 * loop that never ends). Not a speed target: speed is the benchmarks' job, and a loaded
 * CI machine runs these cases ten times slower than an idle one.
 */
export const RUNAWAY_MS = 30_000;

/** Cases to run: KILN_FUZZ_BUDGET, else the suite's small default (a few seconds in the normal run). */
export function fuzzBudget(fallback: number): number {
  const given = Number(process.env.KILN_FUZZ_BUDGET);
  return Number.isInteger(given) && given > 0 ? given : fallback;
}

export const fuzzSeed = (): number => {
  const given = Number(process.env.KILN_FUZZ_SEED);
  return Number.isInteger(given) ? given : 0x6b696c6e; // "kiln"
};

/** `count` tokens from `vocabulary`, now and then a run of one token repeated (long inputs find quadratic scans). */
export function tokens(random: Random, vocabulary: readonly string[], count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const token = pick(random, vocabulary);
    out += random() < 0.02 ? token.repeat(1 + int(random, 2000)) : token;
  }
  return out;
}

/** A short quoted excerpt of a failing input for the failure message. */
export const excerpt = (text: string): string => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}...` : text);
