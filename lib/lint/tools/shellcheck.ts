// shellcheck, where installed. Only its errors are reported (code that cannot work as
// written); warnings and style notes are the script author's call, not a build gate.
import type { LintProblem } from '../problem.js';
import { runTool } from './run-tool.js';

/** `-f gcc`: "file:line:column: error: message [SC1234]". */
const GCC = /^.*?:(\d+):(\d+): (error|warning|note|info|style): (.*)$/;

export function parseShellcheckOutput(output: string): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const raw of output.split('\n')) {
    const m = GCC.exec(raw.trim());
    if (!m || m[3] !== 'error') continue;
    const message = m[4]!.trim();
    // SC1072 ("Fix any mentioned problems and try again") only repeats the one before it.
    if (/\[SC1072\]$/.test(message)) continue;
    problems.push({ line: Number(m[1]), column: Number(m[2]), message: `shellcheck: ${message}` });
  }
  return problems;
}

/** `dialect` is passed when the script has no shebang (kiln then runs it with sh). */
export async function checkShellcheck(file: string, dialect: 'sh' | 'bash' | undefined, signal?: AbortSignal): Promise<LintProblem[]> {
  const args = ['-f', 'gcc', '-S', 'error', ...(dialect ? ['-s', dialect] : []), file];
  const result = await runTool('shellcheck', args, { signal });
  if (!result || result.code === 0) return [];
  return parseShellcheckOutput(result.stdout);
}
