// debconf-set-selections -c: Debian's own check of a preseed file's syntax.
import type { LintProblem } from '../problem.js';
import { runTool } from './run-tool.js';

const LINE = /^(error|warning): (.*?)(?: on line (\d+)|, skipping line (\d+))?(?:: (.*))?$/;

/**
 * "error: parse error on line 2: 'd-i foo'" and "warning: Unknown type boolen, skipping
 * line 5". The tool numbers a continued line by its last physical line; `startOf` maps
 * that back to where the entry starts.
 */
export function parseDebconfOutput(output: string, startOf: (line: number) => number): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const line = Number(m[3] ?? m[4] ?? 1);
    const detail = m[5] ? `: ${m[5]}` : '';
    problems.push({ line: startOf(line), message: `debconf-set-selections: ${m[2]}${detail}` });
  }
  return problems;
}

/** Physical line -> line its logical (backslash-continued) line starts on. */
export function continuationStarts(text: string): (line: number) => number {
  const lines = text.split('\n');
  const starts: number[] = [];
  let start = 1;
  lines.forEach((l, i) => {
    starts[i + 1] = start;
    if (!l.replace(/\r$/, '').endsWith('\\')) start = i + 2;
  });
  return (line) => starts[line] ?? line;
}

export async function checkDebconf(file: string, text: string, signal?: AbortSignal): Promise<LintProblem[]> {
  const result = await runTool('debconf-set-selections', ['-c', file], { signal });
  if (!result) return [];
  return parseDebconfOutput(result.stderr, continuationStarts(text));
}
