// format() and formatlist(): Go's fmt verbs as cty offers them. %v writes a value as it
// reads in HCL (lists and maps as JSON), %#v as JSON; %s %q take strings, %d %b %o %x %X
// whole numbers, %e %f %g numbers, %t bools. Flags, width, precision and %[n] work as in Go.
import { convert, family, variadic } from './arguments.js';
import { jsonEncode } from './encoding.js';
import { FunctionError, type HclValue } from './function-types.js';
import { graphemes } from './strings.js';
import { describe, numberToString, primitiveToString } from './values.js';

interface Verb {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

type Piece = string | (Verb & { index?: number });

/** The format string's literal text and verbs, in order. */
function parseFormat(name: string, format: string): Piece[] {
  const pieces: Piece[] = [];
  const verb = /%([-+# 0]*)(?:\[(\d+)\])?(\d+)?(?:\.(\d*))?(?:\[(\d+)\])?([a-zA-Z%])?/y;
  let literal = '';
  for (let i = 0; i < format.length;) {
    if (format[i] !== '%') { literal += format[i]; i++; continue; }
    verb.lastIndex = i;
    const match = verb.exec(format);
    const [, flags = '', widthIndex, width, precision, precisionIndex, letter] = match ?? [];
    if (!match || letter === undefined) throw new FunctionError(`${name}: the format string ends in an incomplete verb at offset ${i}`);
    i = verb.lastIndex;
    if (letter === '%') { literal += '%'; continue; }
    if (literal) pieces.push(literal);
    literal = '';
    const index = precisionIndex ?? widthIndex;
    pieces.push({
      flags, verb: letter,
      ...(width === undefined ? {} : { width: Number(width) }),
      ...(precision === undefined ? {} : { precision: Number(precision || '0') }),
      ...(index === undefined ? {} : { index: Number(index) }),
    });
  }
  if (literal) pieces.push(literal);
  return pieces;
}

/** Pads to the width in characters (grapheme clusters, as cty counts them). */
function padded(text: string, spec: Verb, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = graphemes(text).length;
  if (length >= width) return text;
  if (spec.flags.includes('-')) return text + ' '.repeat(width - length);
  if (!numeric && spec.flags.includes('0')) return '0'.repeat(width - length) + text;
  if (numeric && spec.flags.includes('0')) {
    const prefix = /^[+\- ]?(?:0[xXbo])?/.exec(text)?.[0] ?? '';
    return prefix + '0'.repeat(width - length) + text.slice(prefix.length);
  }
  return ' '.repeat(width - length) + text;
}

function signed(spec: Verb, n: number, digits: string): string {
  if (n < 0 || Object.is(n, -0)) return `-${digits}`;
  return (spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '') + digits;
}

function goExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's %g: %e when the exponent is below -4 or reaches the precision (6 for the shortest form), else %f. */
function formatG(n: number, precision: number | undefined): string {
  const abs = Math.abs(n);
  if (abs === 0) return '0';
  const shortest = precision === undefined;
  const exact = shortest ? abs.toExponential() : abs.toExponential(Math.max(precision, 1) - 1);
  const exponent = Number(exact.slice(exact.indexOf('e') + 1));
  const digitCount = exact.slice(0, exact.indexOf('e')).replace('.', '').length;
  const limit = shortest ? 6 : Math.max(precision, 1);
  if (exponent < -4 || exponent >= limit) return goExponent(exact.replace(/\.?0+e/, 'e'));
  return abs.toFixed(Math.max(digitCount - 1 - exponent, 0)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function formatNumber(name: string, spec: Verb, n: number, position: number): string {
  const { verb } = spec;
  const abs = Math.abs(n);
  if ('bdoxX'.includes(verb)) {
    if (!Number.isInteger(n)) throw new FunctionError(`${name}: %${verb} at argument ${position} needs a whole number, got ${numberToString(n)}`);
    const radix = { b: 2, d: 10, o: 8, x: 16, X: 16 }[verb] ?? 10;
    let digits = BigInt(abs).toString(radix);
    if (verb === 'X') digits = digits.toUpperCase();
    if (spec.flags.includes('#')) digits = ({ b: '0b', o: '0', x: '0x', X: '0X' }[verb] ?? '') + digits;
    return padded(signed(spec, n, digits), spec, true);
  }
  const digits = verb === 'f' || verb === 'F' ? abs.toFixed(spec.precision ?? 6)
    : verb === 'e' || verb === 'E' ? goExponent(abs.toExponential(spec.precision ?? 6))
    : formatG(abs, spec.precision);
  return padded(signed(spec, n, verb === 'E' || verb === 'G' ? digits.toUpperCase() : digits), spec, true);
}

/** A string cut to the precision in characters, when one is given. */
function truncated(text: string, spec: Verb): string {
  return spec.precision === undefined || spec.precision === 0 ? text : graphemes(text).slice(0, spec.precision).join('');
}

function formatOne(name: string, spec: Verb, value: HclValue, position: number): string {
  const { verb } = spec;
  if (value === null && verb !== 'v') throw new FunctionError(`${name}: argument ${position} for %${verb} is null; only %v can format null`);
  const as = (kind: 'string' | 'number' | 'bool'): HclValue => {
    const converted = convert(kind, value);
    if (converted === undefined) throw new FunctionError(`${name}: %${verb} needs ${kind === 'bool' ? 'a bool' : `a ${kind}`} at argument ${position}, got ${describe(value)}`);
    return converted;
  };
  switch (verb) {
    case 'v': {
      // A number reads as Go's shortest %g (1e+06 for a million), as cty writes it.
      const text = spec.flags.includes('#') || typeof value === 'boolean' ? jsonEncode(value)
        : typeof value === 'number' ? (value < 0 ? '-' : '') + formatG(Math.abs(value), undefined)
        : primitiveToString(value) ?? jsonEncode(value);
      return padded(text, spec, false);
    }
    case 's': {
      const text = as('string') as string;
      return padded(truncated(text, spec), spec, false);
    }
    case 'q': return padded(jsonEncode(truncated(as('string') as string, spec)), spec, false);
    case 't': return padded(String(as('bool')), spec, false);
    case 'b': case 'd': case 'o': case 'x': case 'X': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      return formatNumber(name, spec, as('number') as number, position);
    default:
      throw new FunctionError(`${name}: unsupported format verb %${verb}`);
  }
}

/** Applies a parsed format to arguments; `name` is the calling function's, for messages. */
function applyFormat(name: string, pieces: Piece[], args: HclValue[]): string {
  let next = 0;
  let explicit = false;
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') { out += piece; continue; }
    if (piece.index !== undefined) { next = piece.index - 1; explicit = true; }
    if (next < 0 || next >= args.length) {
      throw new FunctionError(`${name}: not enough arguments for %${piece.verb}: it needs argument ${next + 1}, and ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
    }
    out += formatOne(name, piece, args[next] ?? null, next + 1);
    next++;
  }
  if (!explicit && next < args.length) throw new FunctionError(`${name}: too many arguments; the format string uses ${next} but ${args.length} were given`);
  return out;
}

export const formatFunctions = family({
  format: variadic(['string'], 'any', ([format], args) => applyFormat('format', parseFormat('format', format), args)),
  formatlist: variadic(['string'], 'any', ([format], args) => {
    const pieces = parseFormat('formatlist', format);
    let length: number | undefined;
    args.forEach((arg, i) => {
      if (!Array.isArray(arg)) return;
      if (length !== undefined && arg.length !== length) {
        throw new FunctionError(`formatlist: argument ${i + 2} has length ${arg.length}, which differs from the length ${length} of the lists before it`);
      }
      length = arg.length;
    });
    return Array.from({ length: length ?? 1 }, (_, row) =>
      applyFormat('formatlist', pieces, args.map((arg) => (Array.isArray(arg) ? arg[row] ?? null : arg))));
  }),
});
