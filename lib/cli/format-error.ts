import { KilnError, ValidationError } from '../errors.js';
import { formatIssues } from '../template/format-issues.js';

/** The text the CLI prints for an error: what went wrong, why, and how to fix it. */
export function formatError(error: unknown, verbose = false): string {
  if (error instanceof ValidationError) {
    return `${formatIssues(error)}\nkiln: ${error.message}`;
  }
  if (error instanceof KilnError) {
    const lines = [`kiln: error: ${error.message} [${error.code}]`];
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    const cause = error.cause;
    if (cause instanceof Error && !error.message.includes(cause.message)) lines.push(`  cause: ${cause.message}`);
    if (verbose && error.stack) lines.push(error.stack);
    return lines.join('\n');
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return `kiln: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this with build.log.`;
}
