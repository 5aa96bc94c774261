// Every problem in a template is reported at once: the loader collects issues as it
// goes and throws one ValidationError at the end. Issues are keyed by position and text
// so that a source evaluated once per build it appears in is reported once.
import { ValidationError, type Issue } from '../../errors.js';
import { Masker } from '../../log/mask.js';
import type { SourcePos } from '../model.js';
import { HclError, type Span } from './hcl.js';
import { DependencyFailed } from './scope.js';

export function spanPos(span: Span): SourcePos {
  return { file: span.file, line: span.line, column: span.column };
}

export class Problems {
  private readonly issues: Issue[] = [];
  private readonly seen = new Set<string>();

  /** A problem at `span` (or at no position, for command-line inputs). */
  add(span: Span | SourcePos | undefined, message: string, path = ''): void {
    this.addIssue(span === undefined ? { path, message } : { path, message, file: span.file, line: span.line, column: span.column });
  }

  /** Records an error thrown while evaluating; anything but an HCL or validation error is a bug and is rethrown. */
  addError(error: unknown, path = ''): void {
    // The failed variable or local was reported where it is defined; its users say nothing more.
    if (error instanceof DependencyFailed) return;
    if (error instanceof HclError) this.add(error.span, error.message, path);
    else if (error instanceof ValidationError) for (const issue of error.issues) this.addIssue(issue);
    else throw error;
  }

  addIssue(issue: Issue): void {
    const key = `${issue.file ?? ''}:${issue.line ?? ''}:${issue.column ?? ''}:${issue.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push(issue);
  }

  /** How many problems so far. */
  get count(): number {
    return this.issues.length;
  }

  /** Throws every issue found so far, with sensitive values masked, if there is any. */
  throwIfAny(sensitive: readonly string[], file: string): void {
    if (this.issues.length === 0) return;
    const masker = new Masker(sensitive);
    const masked = this.issues.map((issue) => ({ ...issue, message: masker.mask(issue.message) }));
    throw new ValidationError(masked, file);
  }
}

/** Runs `fn`, recording what it throws; returns undefined when it threw. */
export function attempt<T>(problems: Problems, fn: () => T, path = ''): T | undefined {
  try {
    return fn();
  } catch (error) {
    problems.addError(error, path);
    return undefined;
  }
}
