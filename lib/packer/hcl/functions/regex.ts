// Templates write Go's RE2 syntax; JavaScript's RegExp reads most of it. What differs is
// translated here: (?P<name>...) groups, leading (?i)/(?s)/(?m) flags, \A and \z, \pL,
// and POSIX classes like [[:alpha:]]. Matching all occurrences follows Go's rule that an empty
// match right after the previous match is skipped, and replacements expand Go's $1/${name}.
import { FunctionError, type HclValue } from './function-types.js';
import { setEntry, type HclMap } from './values.js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

function translate(name: string, pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    const given = leading[1] ?? '';
    if (given.includes('U')) throw new FunctionError(`${name}: invalid regexp pattern: the (?U) flag is not supported`);
    flags = given;
    source = source.slice(leading[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, cls: string) => {
      const range = POSIX_CLASSES[cls];
      if (range === undefined) throw new FunctionError(`${name}: invalid regexp pattern: unknown character class [:${cls}:]`);
      if (negated) throw new FunctionError(`${name}: invalid regexp pattern: negated class ${whole} is not supported`);
      return range;
    })
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2(?<![\\s\\S])')
    .replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2(?![\\s\\S])');
  return { source, flags };
}

/** Compiles a Go (RE2) pattern for matching everywhere in a string. */
export function compileGoRegex(name: string, pattern: string): RegExp {
  const { source, flags } = translate(name, pattern);
  try {
    return new RegExp(source, `${flags}gu`);
  } catch {
    // Unicode mode refuses some escapes RE2 accepts (\- outside a class, \_); retry without it.
    try {
      return new RegExp(source, `${flags}g`);
    } catch (error) {
      throw new FunctionError(`${name}: invalid regexp pattern ${JSON.stringify(pattern)}: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
}

/** Every non-overlapping match, by Go's rule for empty matches. */
export function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  re.lastIndex = 0;
  let previousEnd = -1;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0] === '') {
      // Step past the empty match by one character (a whole code point in unicode mode).
      const codePoint = text.codePointAt(end);
      re.lastIndex = end + (re.unicode && codePoint !== undefined && codePoint > 0xffff ? 2 : 1);
      if (match.index === previousEnd) continue;
    }
    matches.push(match);
    previousEnd = end;
    if (re.lastIndex > text.length) break;
  }
  return matches;
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; an unknown group is empty; a lone $ stays. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, braced?: string, bare?: string) => {
    const group = braced ?? bare;
    if (group === undefined) return '$';
    if (/^\d+$/.test(group)) return match[Number(group)] ?? '';
    return match.groups?.[group] ?? '';
  });
}

/** Go's ReplaceAllString. */
export function replaceAll(re: RegExp, text: string, template: string): string {
  let out = '';
  let last = 0;
  for (const match of allMatches(re, text)) {
    out += text.slice(last, match.index) + expandTemplate(template, match);
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

/**
 * Refuses a pattern that mixes named and unnamed groups, as cty does before matching:
 * regex() could not say whether to yield a list or a map. Probed by matching the empty
 * string with an alternative added, which reports every group unmatched.
 */
export function checkGroups(name: string, re: RegExp): void {
  const probe = new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('');
  const groupCount = (probe?.length ?? 1) - 1;
  const named = Object.keys(probe?.groups ?? {}).length;
  if (named > 0 && named !== groupCount) throw new FunctionError(`${name}: invalid regexp pattern: cannot mix both named and unnamed capture groups`);
}

/** What regex() yields for one match: the whole match, a list of groups, or a map of named groups. */
export function matchResult(match: RegExpExecArray): HclValue {
  if (match.length === 1) return match[0];
  if (match.groups === undefined) return match.slice(1).map((group) => group ?? null);
  const out: HclMap = {};
  for (const group of Object.keys(match.groups).sort()) setEntry(out, group, match.groups[group] ?? null);
  return out;
}
