// String functions. A "character" is a grapheme cluster, as in cty: length("é") is 1
// whether the accent is combined or not, and strrev keeps an emoji whole.
import { elementsOf, family, fn, variadic } from './arguments.js';
import { FunctionError } from './function-types.js';
import { allMatches, checkGroups, compileGoRegex, matchResult, replaceAll } from './regex.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

// Go's unicode.IsSpace: JavaScript's \s also takes U+FEFF and lacks U+0085.
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu');
const IS_SPACE = new RegExp(`^[${SPACE}]$`, 'u');

/** Go's strings.Title rule for where a word starts: after a space or ASCII punctuation. */
function startsWord(previous: string): boolean {
  if (/^[A-Za-z0-9_]$/.test(previous)) return false;
  if (/^[\x00-\x7f]$/.test(previous)) return true;
  if (/^[\p{L}\p{N}]$/u.test(previous)) return false;
  return IS_SPACE.test(previous);
}

function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const char of text) {
    out += startsWord(previous) ? char.toUpperCase() : char;
    previous = char;
  }
  return out;
}

function trimCutset(text: string, cutset: string): string {
  const cut = new Set(Array.from(cutset));
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && cut.has(chars[start] ?? '')) start++;
  while (end > start && cut.has(chars[end - 1] ?? '')) end--;
  return chars.slice(start, end).join('');
}

function substr(text: string, offset: number, length: number): string {
  const chars = graphemes(text);
  const start = offset < 0 ? Math.max(0, chars.length + offset) : offset;
  if (start >= chars.length) return '';
  return chars.slice(start, length < 0 ? undefined : start + length).join('');
}

/** `/.../` makes replace()'s substring a regular expression, as in Terraform. */
function isRegexLiteral(substring: string): boolean {
  return substring.length > 1 && substring.startsWith('/') && substring.endsWith('/');
}

export const stringFunctions = family({
  lower: fn(['string'], ([s]) => s.toLowerCase()),
  upper: fn(['string'], ([s]) => s.toUpperCase()),
  title: fn(['string'], ([s]) => title(s)),
  chomp: fn(['string'], ([s]) => s.replace(/(?:\r\n?|\n)*$/, '')),
  trimspace: fn(['string'], ([s]) => s.replace(EDGE_SPACE, '')),
  trim: fn(['string', 'string'], ([s, cutset]) => trimCutset(s, cutset)),
  trimprefix: fn(['string', 'string'], ([s, prefix]) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimsuffix: fn(['string', 'string'], ([s, suffix]) => (suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  startswith: fn(['string', 'string'], ([s, prefix]) => s.startsWith(prefix)),
  endswith: fn(['string', 'string'], ([s, suffix]) => s.endsWith(suffix)),
  strcontains: fn(['string', 'string'], ([s, part]) => s.includes(part)),
  strrev: fn(['string'], ([s]) => graphemes(s).reverse().join('')),
  substr: fn(['string', 'integer', 'integer'], ([s, offset, length]) => substr(s, offset, length)),
  indent: fn(['integer', 'string'], ([spaces, s]) => s.replaceAll('\n', `\n${' '.repeat(Math.max(0, spaces))}`)),
  split: fn(['string', 'string'], ([separator, s]) => (separator === '' ? Array.from(s) : s.split(separator))),
  join: variadic(['string'], 'list', ([separator], lists) =>
    lists.flatMap((list, i) => elementsOf('join', i + 2, 'string', list)).join(separator), 1),
  replace: fn(['string', 'string', 'string'], ([s, substring, replacement]) =>
    isRegexLiteral(substring)
      ? replaceAll(compileGoRegex('replace', substring.slice(1, -1)), s, replacement)
      : s.replaceAll(substring, () => replacement)),
  regex_replace: fn(['string', 'string', 'string'], ([s, pattern, replacement]) =>
    replaceAll(compileGoRegex('regex_replace', pattern), s, replacement)),
  regex: fn(['string', 'string'], ([pattern, s]) => {
    const re = compileGoRegex('regex', pattern);
    checkGroups('regex', re);
    const [first] = allMatches(re, s);
    if (first === undefined) throw new FunctionError(`regex: pattern ${JSON.stringify(pattern)} did not match any part of the given string`);
    return matchResult(first);
  }),
  regexall: fn(['string', 'string'], ([pattern, s]) => {
    const re = compileGoRegex('regexall', pattern);
    checkGroups('regexall', re);
    return allMatches(re, s).map(matchResult);
  }),
});
