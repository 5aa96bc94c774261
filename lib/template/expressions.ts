// Splits a template string into literal text and `{{ ... }}` expressions, the subset of
// Go's text/template that Packer templates use:
//   {{ .HTTPIP }}          a build-time placeholder (PLACEHOLDERS)
//   {{ var `NAME` }}       a variable, substituted at load time ({{ user `NAME` }} too)
//   {{ "{{" }}, {{ `x` }}  a string literal: how to write a literal "{{" (e.g. for Jinja)
// Pure; problems come back with the offset of the `{{` that starts them.
import { closestMatch } from '../util/did-you-mean.js';

export const PLACEHOLDERS = ['HTTPIP', 'HTTPPort', 'Name', 'SSHPublicKey', 'OutputDir', 'CloudInitURL', 'HTTPProxy', 'ProxyURL'] as const;
/**
 * Placeholders known in one key only, as in Packer: {{ .Vars }} and {{ .Path }} in a shell
 * provisioner's execute_command, {{ .Provider }} and {{ .BuildName }} in the Vagrant box's
 * output path (check-scoped-placeholders.ts says where).
 */
export const SCOPED_PLACEHOLDERS = ['Vars', 'Path', 'Provider', 'BuildName'] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number] | (typeof SCOPED_PLACEHOLDERS)[number];
const ALL_PLACEHOLDERS: readonly string[] = [...PLACEHOLDERS, ...SCOPED_PLACEHOLDERS];

export type Expression =
  | { kind: 'placeholder'; name: PlaceholderName }
  | { kind: 'var'; name: string }
  | { kind: 'literal'; value: string };

export type Piece =
  | { kind: 'text'; text: string; start: number; end: number }
  | { kind: 'expression'; expression: Expression; source: string; start: number; end: number };

export interface ExpressionProblem {
  offset: number;
  message: string;
}

export interface Scan {
  pieces: Piece[];
  problems: ExpressionProblem[];
}

const KNOWN = `{{ .${PLACEHOLDERS.join(' }}, {{ .')} }} or {{ var \`NAME\` }}`;
const STRING = '(`[^`]*`|"(?:[^"\\\\]|\\\\.)*")';
const VAR = new RegExp(`^(?:var|user)\\s+${STRING}$`);
const LITERAL = new RegExp(`^${STRING}$`);
const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function scanExpressions(text: string): Scan {
  const pieces: Piece[] = [];
  const problems: ExpressionProblem[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf('{{', cursor);
    if (open < 0) break;
    if (open > cursor) pieces.push({ kind: 'text', text: text.slice(cursor, open), start: cursor, end: open });
    const close = findClose(text, open + 2);
    if (close < 0) {
      problems.push({ offset: open, message: 'unclosed "{{": end the placeholder with "}}" (write {{ "{{" }} for a literal "{{")' });
      pieces.push({ kind: 'text', text: text.slice(open), start: open, end: text.length });
      return { pieces, problems };
    }
    const source = text.slice(open, close + 2);
    const parsed = parseExpression(text.slice(open + 2, close).trim());
    if ('problem' in parsed) {
      problems.push({ offset: open, message: parsed.problem });
      pieces.push({ kind: 'text', text: source, start: open, end: close + 2 });
    } else {
      pieces.push({ kind: 'expression', expression: parsed, source, start: open, end: close + 2 });
    }
    cursor = close + 2;
  }
  if (cursor < text.length) pieces.push({ kind: 'text', text: text.slice(cursor), start: cursor, end: text.length });
  return { pieces, problems };
}

/** Index of the `}}` closing an expression that starts at `from`, skipping quoted strings. */
function findClose(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return i;
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return -1;
      i = j;
    }
  }
  return -1;
}

function parseExpression(body: string): Expression | { problem: string } {
  const field = FIELD.exec(body);
  if (field) {
    const name = field[1]!;
    if (ALL_PLACEHOLDERS.includes(name)) return { kind: 'placeholder', name: name as PlaceholderName };
    const near = closestMatch(name, PLACEHOLDERS);
    return {
      problem: near
        ? `unknown placeholder "{{ .${name} }}": did you mean "{{ .${near} }}"?`
        : `unknown placeholder "{{ .${name} }}": use ${KNOWN}`,
    };
  }
  const variable = VAR.exec(body);
  if (variable) return { kind: 'var', name: unquote(variable[1]!) };
  const literal = LITERAL.exec(body);
  if (literal) return { kind: 'literal', value: unquote(literal[1]!) };
  return { problem: explain(body) };
}

function explain(body: string): string {
  const shown = `"{{ ${body} }}"`;
  if (!body) return `empty placeholder "{{ }}": use ${KNOWN}`;
  const bareVar = /^(?:var|user)\s+([A-Za-z_][\w-]*)$/.exec(body);
  if (bareVar) return `${shown} needs the variable name in backquotes: write {{ var \`${bareVar[1]}\` }}`;
  if ((PLACEHOLDERS as readonly string[]).includes(body)) return `${shown} is missing the dot: write {{ .${body} }}`;
  const near = /^[A-Za-z_]\w*$/.test(body) ? closestMatch(body, PLACEHOLDERS) : undefined;
  if (near) return `${shown} is not a placeholder: did you mean "{{ .${near} }}"?`;
  return `${shown} is not a placeholder: use ${KNOWN}`;
}

function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    // Go escapes that JSON lacks (\a, \x41 ...): keep the text between the quotes.
    return quoted.slice(1, -1);
  }
}
