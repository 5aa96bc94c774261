// Validation problems as the CLI prints them, one per line, in file order:
//   kiln.yaml:12:5: machine.memory: "2X" is not a size: write a size like ...
import type { Issue, ValidationError } from '../errors.js';

export function formatIssues(error: ValidationError): string {
  const file = error.file ?? 'template';
  return sortIssues(error.issues)
    .map((issue) => formatIssue(issue, file))
    .join('\n');
}

/** A warning as the CLI prints it: like an issue, marked "warning:". */
export function formatWarning(issue: Issue, templateFile: string): string {
  return formatIssue({ ...issue, message: `warning: ${issue.message}` }, templateFile);
}

export function formatIssue(issue: Issue, templateFile: string): string {
  const file = issue.file ?? templateFile;
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** The template's own issues first, then other files' in order of appearance; each by line and column. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  const files = [undefined, ...new Set(issues.map((i) => i.file).filter((f) => f !== undefined))];
  return [...issues].sort(
    (a, b) =>
      files.indexOf(a.file) - files.indexOf(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
