// `sh -n` / `bash -n`: the shell's own parser, without running anything.
import type { LintProblem } from '../problem.js';
import { runTool } from './run-tool.js';

/** dash: "f.sh: 4: Syntax error: ..."; bash: "f.sh: line 4: syntax error ...". */
const DIAGNOSTIC = /^.*?: (?:line )?(\d+): (.*)$/;

export function parseShellSyntaxOutput(output: string, lineCount: number): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const raw of output.split('\n')) {
    const m = DIAGNOSTIC.exec(raw.trim());
    // bash repeats the offending line as "f.sh: line 4: `fi fi'": not a diagnostic of its own.
    if (!m || m[2]!.startsWith('`')) continue;
    // "unexpected end of file" is reported one past the last line.
    const line = Math.max(1, Math.min(Number(m[1]), lineCount));
    problems.push({ line, message: m[2]! });
  }
  return problems;
}

/** Parses `file` with `shell` (sh or bash); [] when that shell is not installed. */
export async function checkShellSyntax(file: string, shell: 'sh' | 'bash', lineCount: number, signal?: AbortSignal): Promise<LintProblem[]> {
  const result = await runTool(shell, ['-n', file], { signal });
  if (!result || result.code === 0) return [];
  const problems = parseShellSyntaxOutput(result.stderr, lineCount);
  return problems.length > 0 ? problems.map((p) => ({ ...p, message: `${shell} -n: ${p.message}` })) : [{ line: 1, message: `${shell} -n failed: ${result.stderr.trim()}` }];
}
