// "Did you mean" for misspelt names in angle brackets: <entr> -> <enter>.

import { closestMatch } from '../util/did-you-mean.js';
import { SPECIAL_KEYS } from './qcodes.js';

/** Forms that take an argument, as suggested to users. */
export const ARGUMENT_FORMS: Readonly<Record<string, string>> = {
  waithttp: '<waitHttp /path>',
  waitserial: '<waitSerial "text">',
  waitscreen: '<waitScreen "text">',
};

// Each form as matched (lower case) and as shown to the user.
const FORMS = new Map<string, string>([
  ...Object.keys(SPECIAL_KEYS).flatMap((name): [string, string][] =>
    [name, `${name}On`, `${name}Off`].map((n) => [n.toLowerCase(), `<${n}>`]),
  ),
  ['wait', '<wait>'],
  ...Object.entries(ARGUMENT_FORMS),
]);

// Short names tolerate fewer edits, so "<y>" is not "corrected" to "<up>".
const tolerance = (length: number) => (length <= 3 ? 1 : length <= 6 ? 2 : 3);

/** The closest known form to a misspelt name, as the user should write it, or undefined. */
export function suggestForm(name: string): string | undefined {
  const match = closestMatch(name, FORMS.keys(), { maxEdits: tolerance });
  return match === undefined ? undefined : FORMS.get(match);
}
