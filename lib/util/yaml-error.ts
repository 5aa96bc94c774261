// The yaml package's first syntax error as kiln reports it. Only the first: the ones
// after it are mostly its echoes.
import type { Document, LineCounter } from 'yaml';

export interface YamlSyntaxError {
  line: number;
  column: number;
  /** yaml's message without its own "at line L, column C" and code excerpt. */
  message: string;
}

export function firstYamlError(doc: Document, lineCounter: LineCounter): YamlSyntaxError | undefined {
  const error = doc.errors[0];
  if (!error) return undefined;
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { line, column: col, message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') };
}
