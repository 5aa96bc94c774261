// Turns findings (key paths) into issues with the 1-based line and column of the key
// or value in the file, down to the character inside a one-line string when known.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { Issue } from '../errors.js';
import { formatPath, type Finding, type Segment } from './finding.js';
import type { ParsedSource } from './parse-source.js';

interface Located {
  node?: Node;
  /** The key of the map entry holding `node`, when it is one. */
  key?: Node;
  /** Whether the whole path was found (else node/key are the deepest ancestor found). */
  complete: boolean;
}

export function locate(source: ParsedSource, finding: Finding, file?: string): Issue {
  const issue: Issue = { path: formatPath(finding.path), message: finding.message };
  const origin = source.origin?.(finding.path);
  if (origin) return { ...issue, file: origin.file, line: origin.line, column: origin.column };
  if (source.origin) return file !== undefined ? { ...issue, file } : issue;
  if (file !== undefined) issue.file = file;
  const offset = sourceOffset(source, finding);
  if (offset !== undefined) {
    const { line, col } = source.lineCounter.linePos(offset);
    issue.line = line;
    issue.column = col;
  }
  return issue;
}

function sourceOffset({ doc, text }: ParsedSource, finding: Finding): number | undefined {
  if (finding.sourceOffset !== undefined) return finding.sourceOffset;
  const { node, key, complete } = nodeAt(doc, finding.path);
  const keyStart = key?.range?.[0];
  if (finding.at === 'key' || !complete) return keyStart ?? node?.range?.[0];
  if (!node || (isScalar(node) && node.value === null && keyStart !== undefined)) return keyStart;
  const start = node.range?.[0];
  if (start === undefined || finding.offset === undefined || !isScalar(node)) return start;
  return insideOffset(node, finding.offset, text) ?? start;
}

/** Where character `offset` of a scalar's value is in the file, when that is exact. */
function insideOffset(node: Scalar, offset: number, text: string): number | undefined {
  if (typeof node.value !== 'string' || !node.range) return undefined;
  const start = node.range[0];
  const written = node.range[1] - start;
  const value = node.value;
  if (node.type === 'BLOCK_LITERAL') return insideBlockLiteral(value, offset, text, start);
  if (value.includes('\n')) return undefined;
  // Only when the scalar is written exactly as its value (no escapes, no folding) do
  // offsets in the value line up with columns in the file.
  if (node.type === 'PLAIN' && written === value.length) return start + offset;
  if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && written === value.length + 2) return start + offset + 1;
  return undefined;
}

/**
 * In a `|` block each line of the value is one line of the file after the header,
 * indented. Checked against the file's text, so anything unusual falls back to the start.
 */
function insideBlockLiteral(value: string, offset: number, text: string, start: number): number | undefined {
  const before = value.slice(0, offset);
  const lineIndex = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  const valueLine = value.split('\n')[lineIndex] ?? '';
  let lineStart = text.indexOf('\n', start) + 1;
  for (let i = 0; i < lineIndex && lineStart > 0; i++) lineStart = text.indexOf('\n', lineStart) + 1;
  if (lineStart <= 0) return undefined;
  const lineEnd = text.indexOf('\n', lineStart);
  const sourceLine = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const indent = sourceLine.length - valueLine.length;
  if (indent < 0 || !sourceLine.endsWith(valueLine) || sourceLine.slice(0, indent).trim() !== '') return undefined;
  return lineStart + indent + column;
}

function nodeAt(doc: Document, path: readonly Segment[]): Located {
  let node = doc.contents ?? undefined;
  let key: Node | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc) ?? undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return { node, key, complete: false };
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? undefined;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      key = undefined;
      node = node.items[segment] as Node;
    } else {
      return { node, key, complete: false };
    }
  }
  if (isAlias(node)) node = node.resolve(doc) ?? node;
  return { node, key, complete: true };
}
