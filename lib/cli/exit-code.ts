import { CancelledError, KilnError } from '../errors.js';

export const EXIT = { ok: 0, failed: 1, invalid: 2, interrupted: 130 } as const;

const INVALID_INPUT = new Set(['E_TEMPLATE', 'E_INVALID', 'E_USAGE', 'E_OUTPUT_EXISTS', 'E_OUTPUT_FOREIGN', 'E_PUBLISH_INPUT', 'E_CATALOG', 'E_CATALOG_EXISTS']);

export function exitCodeFor(error: unknown): number {
  if (error instanceof CancelledError) return EXIT.interrupted;
  if (error instanceof KilnError && INVALID_INPUT.has(error.code)) return EXIT.invalid;
  return EXIT.failed;
}
