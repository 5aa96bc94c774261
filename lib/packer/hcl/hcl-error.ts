// An error in an HCL expression at a known place: evaluation, function calls, type
// conversion. The message has no position; callers report it as an Issue or prefix it.
import type { Issue } from '../../errors.js';
import type { Span } from './ast.js';

export class HclError extends Error {
  readonly span: Span;

  constructor(message: string, span: Span) {
    super(message);
    this.name = 'HclError';
    this.span = span;
  }

  toIssue(path = ''): Issue {
    return { path, message: this.message, file: this.span.file, line: this.span.line, column: this.span.column };
  }

  /** `file:line:col: message`, for places that report one error as text. */
  located(): string {
    return `${this.span.file}:${this.span.line}:${this.span.column}: ${this.message}`;
  }
}
