// "did you mean ...?" for misspelt keys, enum values, placeholders and variables.
import { distance } from 'fastest-levenshtein';

/** The closest candidate, if it is close enough to be a plausible typo of `input`. */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // Case-only differences (HTTPIp vs HTTPIP) are the most likely typo of all.
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Allow about one edit per three characters, at least one, so "machne" finds "machine"
  // but "foo" does not find "boot".
  const limit = Math.max(1, Math.floor(input.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** `: did you mean "x"?`, or "" when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>, quote = (s: string) => `"${s}"`): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : `: did you mean ${quote(match)}?`;
}
