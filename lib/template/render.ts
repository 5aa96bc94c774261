// Rendering of `{{ ... }}` expressions. Variables are substituted once, at load time
// (substituteVariables); build-time placeholders and string literals are rendered when
// their values are known (renderPlaceholders), by the build. Pure.
import { KilnError } from '../errors.js';
import type { PlaceholderValues } from './types.js';
import { scanExpressions, type ExpressionProblem, type PlaceholderName } from './expressions.js';

/**
 * Fills `{{ .HTTPIP }}`-style placeholders and `{{ "literal" }}` expressions.
 * Throws KilnError E_TEMPLATE on an unknown or malformed expression.
 */
export function renderPlaceholders(text: string, values: PlaceholderValues): string {
  return renderPartial(text, values);
}

/** Like renderPlaceholders, for when only some values are known; a missing one is an error. */
export function renderPartial(text: string, values: Partial<PlaceholderValues>): string {
  const { pieces, problems } = scanExpressions(text);
  const first = problems[0];
  if (first) throw renderError(text, first.message);
  let out = '';
  for (const piece of pieces) {
    if (piece.kind === 'text') out += piece.text;
    else if (piece.expression.kind === 'literal') out += piece.expression.value;
    else if (piece.expression.kind === 'var') {
      throw renderError(text, `variable "${piece.expression.name}" in ${piece.source} was not substituted when the template was loaded`);
    } else {
      const value = values[piece.expression.name as PlaceholderName];
      if (value === undefined) throw renderError(text, `${piece.source} has no value at this point of the build`);
      out += String(value);
    }
  }
  return out;
}

function renderError(text: string, message: string): KilnError {
  return new KilnError('E_TEMPLATE', `cannot render ${JSON.stringify(shorten(text))}: ${message}`, {
    hint: 'fix the placeholder in the template; `kiln validate` checks every placeholder before a build',
  });
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

export interface Substitution {
  text: string;
  /** Variables used but without a value, with the offset of their `{{`. */
  missing: { name: string; offset: number }[];
  /** Malformed or unknown expressions (offsets into the original text). */
  problems: ExpressionProblem[];
  /** Variables that were substituted, with the offset of their `{{`. */
  used: { name: string; offset: number; value: string }[];
  /** True when the whole string was one variable expression (its value may be re-typed). */
  whole: boolean;
  /** Maps an index in `text` back to the original string (a substituted value maps to its `{{`). */
  mapOffset(offset: number): number;
}

/** Replaces `{{ var `NAME` }}` expressions; everything else is kept exactly as written. */
export function substituteVariables(text: string, lookup: (name: string) => string | undefined): Substitution {
  const { pieces, problems } = scanExpressions(text);
  const missing: Substitution['missing'] = [];
  const used: Substitution['used'] = [];
  // [start in output, start in original, substituted?]
  const spans: [number, number, boolean][] = [];
  let out = '';
  for (const piece of pieces) {
    const value =
      piece.kind === 'expression' && piece.expression.kind === 'var' ? lookup(piece.expression.name) : undefined;
    if (piece.kind === 'expression' && piece.expression.kind === 'var') {
      if (value === undefined) missing.push({ name: piece.expression.name, offset: piece.start });
      else used.push({ name: piece.expression.name, offset: piece.start, value });
    }
    spans.push([out.length, piece.start, value !== undefined]);
    out += value ?? (piece.kind === 'text' ? piece.text : piece.source);
  }
  const only = pieces.length === 1 ? pieces[0] : undefined;
  return {
    text: out,
    missing,
    problems,
    used,
    whole: only?.kind === 'expression' && only.expression.kind === 'var' && used.length === 1,
    mapOffset(offset) {
      for (let i = spans.length - 1; i >= 0; i--) {
        const [outStart, start, substituted] = spans[i]!;
        if (offset >= outStart) return substituted ? start : start + (offset - outStart);
      }
      return offset;
    },
  };
}
