// "Did you mean" for misspelt names in angle brackets: <entr> -> <enter>.

import { distance } from 'fastest-levenshtein';
import { SPECIAL_KEYS } from './qcodes.js';

/** Forms that take an argument, as suggested to users. */
export const ARGUMENT_FORMS: Readonly<Record<string, string>> = {
  waithttp: '<waitHttp /path>',
  waitserial: '<waitSerial "text">',
  waitscreen: '<waitScreen "text">',
};

const CANDIDATES: [lower: string, shown: string][] = [
  ...Object.keys(SPECIAL_KEYS).flatMap((name): [string, string][] =>
    [name, `${name}On`, `${name}Off`].map((n) => [n.toLowerCase(), `<${n}>`]),
  ),
  ['wait', '<wait>'],
  ...Object.entries(ARGUMENT_FORMS),
];

// Short names tolerate fewer edits, so "<y>" is not "corrected" to "<up>".
const tolerance = (length: number) => (length <= 3 ? 1 : length <= 6 ? 2 : 3);

/** The closest known form to a misspelt name, as the user should write it, or undefined. */
export function suggestForm(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = tolerance(lower.length) + 1;
  let bestPrefix = 0;
  for (const [candidate, shown] of CANDIDATES) {
    const d = distance(lower, candidate);
    const prefix = commonPrefix(lower, candidate);
    // On a tie the longer shared start wins: <leftctrlof> is <leftCtrlOff>, not <leftCtrlOn>.
    if (d < bestDistance || (d === bestDistance && best && prefix > bestPrefix)) {
      best = shown;
      bestDistance = d;
      bestPrefix = prefix;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}
