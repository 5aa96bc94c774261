// Shell scripts (provisioner scripts, scripts served to installers): which shell reads
// them, and the faults no shell run can show clearly. Pure.
import type { LintProblem } from './problem.js';

export interface ShellInfo {
  /** The shell that parses it: from the shebang, or sh when there is none. */
  shell: 'sh' | 'bash';
  /** Whether the shebang names the shell (shellcheck then needs no dialect). */
  shebang: boolean;
}

/** undefined when the shebang names something that is not a POSIX shell or bash (python, perl). */
export function shellOf(text: string): ShellInfo | undefined {
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
  if (!first.startsWith('#!')) return { shell: 'sh', shebang: false };
  const words = first.slice(2).trim().split(/\s+/);
  // "#!/usr/bin/env bash" and "#!/usr/bin/env -S bash -e" name the shell after env.
  const program = words[0]?.endsWith('/env') ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
  const name = program?.split('/').pop() ?? '';
  if (name === 'bash') return { shell: 'bash', shebang: true };
  if (name === 'sh' || name === 'dash' || name === 'ash' || name === 'busybox') return { shell: 'sh', shebang: true };
  return undefined;
}

export function lintShellText(text: string): LintProblem[] {
  const problems: LintProblem[] = [];
  if (text.startsWith('\uFEFF')) {
    problems.push({ line: 1, column: 1, message: 'the file starts with a byte order mark, so its first line is not a shebang: save it as UTF-8 without BOM' });
  }
  const crlf = text.split('\n').findIndex((l) => l.endsWith('\r'));
  if (crlf >= 0) {
    problems.push({
      line: crlf + 1,
      message: 'Windows line ends (CRLF): the shell reads the \\r as part of each command; convert the file to LF line ends (dos2unix)',
    });
  }
  return problems;
}
