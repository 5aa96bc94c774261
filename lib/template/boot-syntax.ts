// Checks the boot command with the keyboard parser before any VM starts. The lines are
// parsed joined, exactly as the build types them, with the placeholders filled with the
// values known before boot ({{ .Name }}, {{ .OutputDir }}; stand-ins for the port and
// key), so a value that cannot be typed fails here and not after the VM started. An
// error is pointed back at the line (and character, or placeholder) it came from.
import { unreleasedHolds } from '../keyboard/held.js';
import { BootCommandSyntaxError, parseBootCommand } from '../keyboard/parse.js';
import type { BootWaitKind, PlaceholderValues } from './types.js';
import { scanExpressions } from './expressions.js';
import type { Finding, Segment } from './finding.js';

export interface BootCheck {
  findings: Finding[];
  /** The kinds of wait the command uses (when it parsed). */
  waits: BootWaitKind[];
  /** Legal but probably unmeant: keys held to the end of the command. */
  warnings: Finding[];
}

export function checkBootCommand(command: unknown, values: Partial<PlaceholderValues> = {}, secrets: readonly string[] = []): BootCheck {
  const lines = bootLines(command, values);
  if (!lines) return { findings: [], warnings: [], waits: [] };
  const joined = lines.map((l) => l.text).join('');
  try {
    const actions = parseBootCommand(joined);
    const warnings = unreleasedHolds(actions).map((written): Finding => {
      const { path, offset, via } = lineAt(lines, joined.lastIndexOf(written));
      const release = written.replace(/on>$/i, (on) => (on[0] === 'O' ? 'Off>' : 'off>'));
      return { path, offset, message: `${via}${written} is never released: the guest sees the key held until the command ends; add ${release} where the hold should end` };
    });
    const waits = [...new Set(actions.flatMap((a) => (a.kind === 'keys' ? [] : [a.kind])))];
    return { findings: [], warnings, waits };
  } catch (error) {
    if (!(error instanceof BootCommandSyntaxError)) throw error;
    const secret = secretAt(joined, error.offset, secrets);
    if (secret !== undefined) {
      // The parser's message quotes the character and the offset tells where it is in the value.
      const { path, offset } = lineAt(lines, secret);
      const message = 'the value of a sensitive variable cannot be typed as it is: it holds a character the US keyboard does not have, or a "<" that starts a key name; keep such values to printable ASCII, or type them with key names';
      return { findings: [{ path, offset, message }], warnings: [], waits: [] };
    }
    const { path, offset, via } = lineAt(lines, error.offset);
    const fix = error.hint && !error.message.includes('did you mean') ? `; ${error.hint}` : '';
    return { findings: [{ path, offset, message: `${via}${error.message}${fix}` }], warnings: [], waits: [] };
  }
}

/** Where the sensitive value that character `offset` of the typed text belongs to starts. */
function secretAt(typed: string, offset: number, secrets: readonly string[]): number | undefined {
  for (const secret of secrets) {
    for (let at = typed.indexOf(secret); at >= 0 && at <= offset; at = typed.indexOf(secret, at + 1)) {
      if (offset < at + secret.length) return at;
    }
  }
  return undefined;
}

/** A boot.command line as typed: placeholders filled, with where each part was written. */
interface Line {
  path: Segment[];
  text: string;
  /** [start in text, start in the line as written, the placeholder ("" for plain text), its value]. */
  spans: [number, number, string, string][];
}

function bootLines(command: unknown, values: Partial<PlaceholderValues>): Line[] | undefined {
  if (typeof command === 'string') return [render(['boot', 'command'], command, values)];
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) return undefined;
  return command.map((text: string, i) => render(['boot', 'command', i], text, values));
}

/** Fills what is known; a malformed or unknown placeholder (reported elsewhere) stays as written. */
function render(path: Segment[], written: string, values: Partial<PlaceholderValues>): Line {
  const { pieces, problems } = scanExpressions(written);
  if (problems.length > 0) return { path, text: written, spans: [[0, 0, '', '']] };
  let text = '';
  const spans: Line['spans'] = [];
  for (const piece of pieces) {
    let value: string | undefined;
    if (piece.kind === 'expression' && piece.expression.kind === 'literal') value = piece.expression.value;
    if (piece.kind === 'expression' && piece.expression.kind === 'placeholder') {
      const known = values[piece.expression.name];
      value = known === undefined ? undefined : String(known);
    }
    spans.push([text.length, piece.start, value === undefined ? '' : (piece as { source: string }).source, value ?? '']);
    text += value ?? (piece.kind === 'text' ? piece.text : piece.source);
  }
  return { path, text, spans };
}

/** The line holding character `offset` of the joined command, the offset as written, and the placeholder it came from. */
function lineAt(lines: Line[], offset: number): { path: Segment[]; offset: number; via: string } {
  let start = 0;
  for (const line of lines) {
    if (offset < start + line.text.length) return located(line, offset - start);
    start += line.text.length;
  }
  const last = lines.findLast((l) => l.text.length > 0) ?? lines[lines.length - 1]!;
  return located(last, Math.max(0, last.text.length - 1));
}

function located(line: Line, offset: number): { path: Segment[]; offset: number; via: string } {
  const span = line.spans.findLast(([textStart]) => textStart <= offset) ?? [0, 0, '', ''];
  const [textStart, writtenStart, placeholder, value] = span;
  if (!placeholder) return { path: line.path, offset: writtenStart + (offset - textStart), via: '' };
  return { path: line.path, offset: writtenStart, via: `${placeholder} is ${JSON.stringify(value)}: ` };
}
