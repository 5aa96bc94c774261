// Quoted strings with interpolations and heredocs into TemplatePart lists. tree-sitter
// drops whitespace between literal chunks, so literal text is cut from the source between
// the structural nodes (interpolations, directives), then unescaped, de-indented (<<-) and
// trimmed where a strip marker (~) asks.
import type { Node } from 'web-tree-sitter';
import type { HclExpr, Span, TemplatePart } from './ast.js';
import type { ConvertState } from './convert-expression.js';
import { MAX_NESTING, meaningful, unescapeHeredoc, unescapeQuoted } from './convert-expression.js';
import { HclError } from './hcl-error.js';

type ConvertExpr = (node: Node) => HclExpr;

interface TemplateReader {
  state: ConvertState;
  convert: ConvertExpr;
  unescape: (raw: string, span: Span) => string;
  /** For <<- heredocs: where the content starts and how many leading whitespace characters each line loses. */
  dedent?: { contentStart: number; width: number };
}

interface Trim {
  start: boolean;
  end: boolean;
}

/** `dropFinalNewline`: the heredoc wraps a bare template file, whose last newline the wrapper added. */
export function convertTemplate(node: Node, state: ConvertState, convert: ConvertExpr, dropFinalNewline = false): HclExpr {
  const span = state.source.spanOf(node);
  const children = meaningful(node);
  if (node.type === 'quoted_template') {
    const open = children[0]!;
    const close = children[children.length - 1]!;
    const reader: TemplateReader = { state, convert, unescape: unescapeQuoted };
    return { kind: 'template', parts: readParts(reader, children.slice(1, -1), open.endIndex, close.startIndex, { start: false, end: false }), span };
  }
  // heredoc_template: heredoc_start, opening identifier, content..., closing identifier.
  const opening = children[1]!;
  const closing = children[children.length - 1]!;
  const text = state.source.text;
  const newline = text.indexOf('\n', opening.endIndex);
  const contentStart = newline < 0 ? closing.startIndex : newline + 1;
  const contentEnd = Math.max(contentStart, text.lastIndexOf('\n', closing.startIndex - 1) + (dropFinalNewline ? 0 : 1));
  const reader: TemplateReader = { state, convert, unescape: unescapeHeredoc };
  if (children[0]!.text === '<<-') reader.dedent = { contentStart, width: indentWidth(text.slice(contentStart, contentEnd)) };
  return { kind: 'template', parts: readParts(reader, children.slice(2, -1), contentStart, contentEnd, { start: false, end: false }), span };
}

/** The least indentation of the lines that hold more than whitespace. */
function indentWidth(content: string): number {
  let width = Infinity;
  for (const line of content.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent < line.length) width = Math.min(width, indent);
  }
  return width === Infinity ? 0 : width;
}

/** The parts between `from` and `to`: text cut from the source around the structural children. */
function readParts(reader: TemplateReader, children: Node[], from: number, to: number, trim: Trim): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let cursor = from;
  let trimNext = trim.start;
  for (const child of children) {
    if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
    pushText(reader, parts, cursor, child.startIndex, trimNext);
    const inner = child.type === 'template_directive' ? meaningful(child)[0]! : child;
    const markers = stripMarkers(inner.type === 'template_interpolation' ? inner : meaningful(inner)[0]!);
    if (markers.before) trimLastText(parts);
    if (++reader.state.depth > MAX_NESTING) throw new HclError(`template directives nest deeper than ${MAX_NESTING} levels`, reader.state.source.spanOf(inner));
    parts.push(readStructural(reader, inner));
    reader.state.depth--;
    trimNext = inner.type === 'template_interpolation' ? markers.after : stripMarkers(meaningful(inner).at(-1)!).after;
    cursor = child.endIndex;
  }
  pushText(reader, parts, cursor, to, trimNext);
  if (trim.end) trimLastText(parts);
  return parts;
}

function readStructural(reader: TemplateReader, node: Node): TemplatePart {
  const { source } = reader.state;
  const span = source.spanOf(node);
  const children = meaningful(node);
  if (node.type === 'template_interpolation') {
    const expression = children.find((child) => child.type === 'expression');
    if (expression === undefined) throw new HclError('an interpolation "${ }" needs an expression', span);
    return { kind: 'interpolation', expr: reader.convert(expression), span };
  }
  const intro = children[0]!;
  const end = children[children.length - 1]!;
  const introParts = meaningful(intro);
  if (node.type === 'template_for') {
    const names = introParts.filter((child) => child.type === 'identifier').map((child) => child.text);
    const collection = reader.convert(introParts.find((child) => child.type === 'expression')!);
    const body = readParts(reader, children.slice(1, -1), intro.endIndex, end.startIndex, { start: stripMarkers(intro).after, end: stripMarkers(end).before });
    const [keyVar, valueVar] = names.length === 2 ? [names[0], names[1]!] : [undefined, names[0]!];
    return { kind: 'for', ...(keyVar === undefined ? {} : { keyVar }), valueVar, collection, body, span };
  }
  // template_if: intro, then-parts, [else intro, else-parts], end.
  const condition = reader.convert(introParts.find((child) => child.type === 'expression')!);
  const elseAt = children.findIndex((child) => child.type === 'template_else_intro');
  const thenEnd = elseAt < 0 ? end : children[elseAt]!;
  const then = readParts(reader, children.slice(1, elseAt < 0 ? -1 : elseAt), intro.endIndex, thenEnd.startIndex, { start: stripMarkers(intro).after, end: stripMarkers(thenEnd).before });
  const otherwise =
    elseAt < 0
      ? []
      : readParts(reader, children.slice(elseAt + 1, -1), children[elseAt]!.endIndex, end.startIndex, { start: stripMarkers(children[elseAt]!).after, end: stripMarkers(end).before });
  return { kind: 'if', condition, then, else: otherwise, span };
}

/** `${~ ... ~}` / `%{~ ... ~}`: a marker right after the opening token strips before, one right before the closing token strips after. */
function stripMarkers(node: Node): { before: boolean; after: boolean } {
  const children = meaningful(node);
  return { before: children[1]?.type === 'strip_marker', after: children.length > 2 && children[children.length - 2]!.type === 'strip_marker' };
}

function pushText(reader: TemplateReader, parts: TemplatePart[], start: number, end: number, trimStart: boolean): void {
  if (end <= start) return;
  const { source } = reader.state;
  const span = source.span(start, end);
  let text = reader.unescape(dedent(reader, start, end), span);
  if (trimStart) text = text.trimStart();
  parts.push({ kind: 'text', text, span });
}

function dedent(reader: TemplateReader, start: number, end: number): string {
  const raw = reader.state.source.slice(start, end);
  if (reader.dedent === undefined || reader.dedent.width === 0) return raw;
  const { text } = reader.state.source;
  const atLineStart = start === reader.dedent.contentStart || text[start - 1] === '\n';
  const lines = raw.split('\n');
  return lines.map((line, i) => (i > 0 || atLineStart ? stripIndent(line, reader.dedent!.width) : line)).join('\n');
}

function stripIndent(line: string, width: number): string {
  let n = 0;
  while (n < width && (line[n] === ' ' || line[n] === '\t')) n++;
  return line.slice(n);
}

function trimLastText(parts: TemplatePart[]): void {
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.text = last.text.trimEnd();
}
