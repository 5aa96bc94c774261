// The globs -only and -except take, as Packer matches them: `*` is any run of
// characters (dots included), `?` one character, `[abc]`/`[!abc]` a class, `{a,b}` one
// of several alternatives.

const SPECIAL = /[.+^$()|\\/]/;

export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else source += SPECIAL.test(char) || char === '{' || char === '}' || char === ']' ? `\\${char}` : char;
  }
  source += ')'.repeat(depth);
  return new RegExp(`^${source}$`);
}

export function globMatches(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name);
}
