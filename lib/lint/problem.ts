// What the answer-file linters report. Each linter is pure: file text in, problems
// out, with 1-based positions inside that text. lint-template.ts turns them into the
// template's Issues (file:line:column), so `kiln validate` prints them with the rest.

/** The formats kiln can check. */
export type AnswerKind = 'preseed' | 'kickstart' | 'user-data' | 'meta-data' | 'alpine-answers' | 'shell';

export interface LintProblem {
  /** 1-based line in the linted text. */
  line: number;
  /** 1-based column, when the problem is at a known character. */
  column?: number;
  message: string;
}

/** The lines of a text, without their line ends ("\r\n" or "\n"). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // A final line end does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Problems in file order, one per line and message. */
export function sortProblems(problems: readonly LintProblem[]): LintProblem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0))
    .filter((p) => {
      const key = `${p.line}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
