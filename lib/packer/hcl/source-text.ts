// A parsed file's text and where its lines start, to turn tree-sitter's offsets into
// kiln's 1-based spans, shifted when the text parsed is a wrapper around the user's file.
import type { Node } from 'web-tree-sitter';
import type { Span } from './ast.js';

export class SourceText {
  private readonly lineStarts: number[] = [0];

  /** `lineOffset` lines of the parsed text come before the user's file (a templatefile wrapper). */
  constructor(
    readonly text: string,
    readonly file: string,
    private readonly lineOffset = 0,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** tree-sitter's indexes count UTF-16 units of the parsed string, as JS strings do. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  spanOf(node: Node): Span {
    return this.span(node.startIndex, node.endIndex);
  }

  span(start: number, end: number): Span {
    const [line, column] = this.position(start);
    const [endLine, endColumn] = this.position(end);
    return { file: this.file, line, column, endLine, endColumn };
  }

  position(index: number): [line: number, column: number] {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    const line = Math.max(1, low + 1 - this.lineOffset);
    return [line, index - this.lineStarts[low]! + 1];
  }
}
