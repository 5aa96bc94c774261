// The globs -only and -except take, as Packer matches build names: `*` is any run of
// characters (dots included), `?` one character, `[abc]`/`[!abc]` a class, `{a,b}` one of
// several alternatives, `\` escapes. Used by both front ends.

/** A glob as Packer's -only reads it: * ? [abc] [!a-z] {a,b} and \ to escape; names have no separators. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw new Error('a trailing "\\" escapes nothing');
      out += escape(next);
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error('"[" without its "]"');
      const body = pattern.slice(i + 1, end);
      out += body.startsWith('!') ? `[^${classBody(body.slice(1))}]` : `[${classBody(body)}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += escape(c);
  }
  if (braces > 0) throw new Error('"{" without its "}"');
  return new RegExp(`^${out}$`, 's');
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const classBody = (body: string): string => body.replace(/[\\\]^]/g, '\\$&');

/** Whether `name` matches; a malformed pattern matches nothing (globProblem says why). */
export function globMatches(pattern: string, name: string): boolean {
  try {
    return globToRegExp(pattern).test(name);
  } catch {
    return false;
  }
}

/** What is wrong with a pattern, or undefined when it is a glob. */
export function globProblem(pattern: string): string | undefined {
  try {
    globToRegExp(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
