// Test helper: where a piece of text is in a template, as issues and positions give it.
import * as assert from 'uvu/assert';

/** Line and column (1-based) of the first `needle` in `text`, at or after the first `after`. */
export function at(text: string, needle: string, after = ''): { line: number; column: number } {
  const offset = text.indexOf(needle, text.indexOf(after));
  assert.ok(offset >= 0, `${needle} is in the text`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
