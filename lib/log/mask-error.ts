// An error leaving a build passes through the same Masker as its log lines: its
// message, hint, stack, validation issues and causes, so the CLI's error text, the
// --json error event and the --on-error=ask menu never show a secret.
import type { Masker } from './mask.js';

const MAX_CAUSES = 8;

/** Masks `error` in place (it is the one about to be reported) and returns it. */
export function maskError<T>(error: T, masker: Masker): T {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < MAX_CAUSES; depth++) {
    const e = current as Error & { hint?: string; issues?: { message: string }[] };
    e.message = masker.mask(e.message);
    if (e.stack) e.stack = masker.mask(e.stack);
    if (typeof e.hint === 'string') Object.defineProperty(e, 'hint', { value: masker.mask(e.hint), enumerable: true });
    if (Array.isArray(e.issues)) for (const issue of e.issues) issue.message = masker.mask(issue.message);
    current = e.cause;
  }
  return error;
}
