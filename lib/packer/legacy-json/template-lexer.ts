// The first stage of the Go text/template subset Packer's JSON templates use: a string
// becomes literal text and `{{ ... }}` actions, and each action's inside becomes tokens.
// Offsets are into the whole string, so a problem can point at its character.

export interface TextPiece {
  kind: 'text';
  text: string;
  start: number;
}

export interface ActionPiece {
  kind: 'action';
  /** The action as written, braces and trim markers included. */
  source: string;
  /** What is between the delimiters (and trim markers). */
  body: string;
  bodyStart: number;
  start: number;
  end: number;
  /** `{{-` and `-}}`: Go trims the white space before or after the action. */
  trimBefore: boolean;
  trimAfter: boolean;
}

export type Piece = TextPiece | ActionPiece;

export type Token =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'bool'; value: boolean; start: number; end: number }
  | { kind: 'nil'; start: number; end: number }
  | { kind: 'identifier'; name: string; start: number; end: number }
  /** `.HTTPIP`, `.Build.Name`, or `.` alone (path []). */
  | { kind: 'field'; path: string[]; start: number; end: number }
  /** `$x`: a Go template variable. */
  | { kind: 'variable'; name: string; start: number; end: number }
  | { kind: 'pipe' | 'open' | 'close' | 'declare'; start: number; end: number };

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const LITERAL_BRACES = 'write {{ "{{" }} for a literal "{{"';

/** Splits `text` into text and actions; an unclosed action is a TemplateSyntaxError. */
export function splitActions(text: string): Piece[] {
  const pieces: Piece[] = [];
  let cursor = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', cursor)) {
    if (open > cursor) pieces.push({ kind: 'text', text: text.slice(cursor, open), start: cursor });
    const trimBefore = /^\{\{-[ \t\r\n]/.test(text.slice(open, open + 4));
    const bodyStart = open + (trimBefore ? 3 : 2);
    const close = findClose(text, bodyStart, open);
    const trimAfter = close - 1 >= bodyStart && text[close - 1] === '-' && /[ \t\r\n]/.test(text[close - 2] ?? '');
    const bodyEnd = trimAfter ? close - 1 : close;
    pieces.push({
      kind: 'action',
      source: text.slice(open, close + 2),
      body: text.slice(bodyStart, bodyEnd),
      bodyStart,
      start: open,
      end: close + 2,
      trimBefore,
      trimAfter,
    });
    cursor = close + 2;
  }
  if (cursor < text.length) pieces.push({ kind: 'text', text: text.slice(cursor), start: cursor });
  return pieces;
}

/** Index of the `}}` ending the action whose inside starts at `from`, skipping quoted text and comments. */
function findClose(text: string, from: number, open: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return i;
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (c === '`' || c === '"' || c === "'") {
      i = quotedEnd(text, i);
      if (i < 0) throw new TemplateSyntaxError(`unterminated ${c === '`' ? 'raw string' : 'quoted string'} in "{{": close the quote, then the action with "}}"`, open);
    }
  }
  throw new TemplateSyntaxError(`unclosed "{{": end the action with "}}" (${LITERAL_BRACES})`, open);
}

/** Index of the quote closing the one at `start`, or -1. */
function quotedEnd(text: string, start: number): number {
  const quote = text[start];
  if (quote === '`') return text.indexOf('`', start + 1);
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const FIELD = /(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\./y;

/** The tokens of an action's body; an action that is a comment has none. */
export function tokenize(action: ActionPiece): Token[] {
  const { body, bodyStart } = action;
  const trimmed = body.trim();
  if (trimmed.startsWith('/*')) {
    if (!trimmed.endsWith('*/')) throw new TemplateSyntaxError('a comment must be the whole action: {{/* like this */}}', action.start);
    return [];
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    const start = bodyStart + i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|' || c === '(' || c === ')') {
      tokens.push({ kind: c === '|' ? 'pipe' : c === '(' ? 'open' : 'close', start, end: start + 1 });
      i++;
    } else if (c === ':' && body[i + 1] === '=') {
      tokens.push({ kind: 'declare', start, end: start + 2 });
      i += 2;
    } else if (c === '`' || c === '"') {
      const end = quotedEnd(body, i);
      if (end < 0) throw new TemplateSyntaxError('unterminated string', start);
      const value = c === '`' ? body.slice(i + 1, end) : unquote(body.slice(i + 1, end), start);
      tokens.push({ kind: 'string', value, start, end: bodyStart + end + 1 });
      i = end + 1;
    } else if (c === "'") {
      throw new TemplateSyntaxError("single quotes make a Go character constant, not a string: quote strings with \"...\" or `...`", start);
    } else if (c === '$') {
      const name = matchAt(IDENTIFIER, body, i + 1) ?? '';
      tokens.push({ kind: 'variable', name: '$' + name, start, end: start + 1 + name.length });
      i += 1 + name.length;
    } else if (c === '.' && !/\d/.test(body[i + 1] ?? '')) {
      const text = matchAt(FIELD, body, i)!;
      tokens.push({ kind: 'field', path: text === '.' ? [] : text.slice(1).split('.'), start, end: start + text.length });
      i += text.length;
    } else if (/[\d.+-]/.test(c)) {
      const text = matchAt(NUMBER, body, i);
      const value = text === undefined ? NaN : numberValue(text);
      if (text === undefined || Number.isNaN(value)) throw new TemplateSyntaxError(`unexpected "${c}" in action`, start);
      tokens.push({ kind: 'number', value, start, end: start + text.length });
      i += text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = matchAt(IDENTIFIER, body, i)!;
      const end = start + name.length;
      if (name === 'true' || name === 'false') tokens.push({ kind: 'bool', value: name === 'true', start, end });
      else if (name === 'nil') tokens.push({ kind: 'nil', start, end });
      else tokens.push({ kind: 'identifier', name, start, end });
      i += name.length;
    } else {
      throw new TemplateSyntaxError(`unexpected "${c}" in action`, start);
    }
  }
  return tokens;
}

/** A Go number literal's value: JS reads 0x/0o/0b itself, but not after a sign. */
function numberValue(text: string): number {
  const digits = text.replaceAll('_', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * Number(digits.replace(/^[+-]/, ''));
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

/** The value of a Go interpreted string literal's inside. */
function unquote(inside: string, start: number): string {
  return inside.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (escape, code: string) => {
    if (/^[xuU]/.test(code)) return String.fromCodePoint(parseInt(code.slice(1), 16));
    if (/^[0-7]{3}$/.test(code)) return String.fromCharCode(parseInt(code, 8));
    const simple = ESCAPES[code];
    if (simple === undefined) throw new TemplateSyntaxError(`unknown escape ${escape} in a string`, start);
    return simple;
  });
}
