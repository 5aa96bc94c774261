// Walking a parsed JSON document by its nodes, which know where they were written:
// the entries of an object with their keys' positions, and the file position of a
// character inside a string value, so that problems point at the user's file:line:col.
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { Issue } from '../../errors.js';
import type { ParsedSource } from '../../template/parse-source.js';
import type { SourcePos } from '../model.js';

export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
}

/** The entries of a JSON object node, in the order written. */
export function entriesOf(node: Node | null | undefined): Entry[] {
  if (!isMap(node)) return [];
  return node.items.map((pair) => ({
    key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    keyNode: pair.key as Node,
    value: (pair.value as Node | null) ?? null,
  }));
}

export function posAt(source: ParsedSource, offset: number): SourcePos {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

export const startOf = (node: Node | null | undefined): number => node?.range?.[0] ?? 0;

export function issueAt(source: ParsedSource, offset: number, path: string, message: string): Issue {
  const { line, column } = posAt(source, offset);
  return { path, message, line, column, file: source.file };
}

/**
 * The file offset of character `offset` of a string value. Exact when the string is
 * written without escapes (the usual case: Packer's backquotes need none); otherwise
 * the string's opening quote.
 */
export function offsetInString(source: ParsedSource, node: Scalar, offset: number): number {
  const [start, end] = node.range ?? [0, 0];
  const written = source.text.slice(start, end);
  const quoted = written.length >= 2 && (written[0] === '"' || written[0] === "'");
  const inside = quoted ? written.slice(1, -1) : written;
  if (typeof node.value === 'string' && inside === node.value) return start + (quoted ? 1 : 0) + offset;
  return start;
}

/** A JSON path for messages: builders[0].boot_command[2]. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return base === '' ? safe : `${base}.${safe}`;
}

export const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : `a ${typeof value}`;
