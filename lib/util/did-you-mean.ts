// "did you mean ...?" for misspelt keys, enum values, placeholders, variables, boot
// command keys and preseed questions: one matcher, each caller with its own tolerance.
import { distance } from 'fastest-levenshtein';

export interface MatchOptions {
  /** The most edits that still read as a typo of an input this long. */
  maxEdits?: (length: number) => number;
}

// About one edit per three characters, at least one, so "machne" finds "machine" but
// "foo" does not find "boot".
const oneEditPerThree = (length: number): number => Math.max(1, Math.floor(length / 3));

/**
 * The closest candidate, compared without case (HTTPIp vs HTTPIP is the likeliest typo
 * of all), if it is close enough to be a plausible typo of `input`. On a tie the longer
 * shared start wins: "leftctrlof" is "leftCtrlOff", not "leftCtrlOn".
 */
export function closestMatch(input: string, candidates: Iterable<string>, options: MatchOptions = {}): string | undefined {
  const lower = input.toLowerCase();
  const limit = (options.maxEdits ?? oneEditPerThree)(input.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  let bestPrefix = -1;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // The distance is at least the difference in length: skip the sure misses.
    if (Math.abs(other.length - lower.length) > limit) continue;
    const d = distance(lower, other);
    const prefix = commonPrefix(lower, other);
    if (d < bestDistance || (d === bestDistance && best !== undefined && prefix > bestPrefix)) {
      best = candidate;
      bestDistance = d;
      bestPrefix = prefix;
    }
  }
  return best;
}

/** `: did you mean "x"?`, or "" when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>, quote = (s: string) => `"${s}"`): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : `: did you mean ${quote(match)}?`;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}
