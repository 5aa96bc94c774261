// Go-style durations as Packer users write them: "10s", "1m30s", "250ms", "1h".
// A bare number is rejected: "10" is ambiguous (seconds? ms?) and Packer rejects it too.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds for a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (!WHOLE.test(s)) return undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(PART)) total += Number(n) * UNIT_MS[unit!]!;
  return Math.round(total);
}

export const DURATION_HINT = 'write a duration like 500ms, 10s, 1m30s or 2h';

/**
 * The longest wait or timeout a template may give (boot waits, <waitN>, ssh and shutdown
 * timeouts). Longer is a typo (600h for 600s); Node's timers also stop at 2^31 ms
 * (24.8 days) and would fire at once past it.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;
export const MAX_DURATION_TEXT = '24h';

/** The problem with a parsed duration that is too long, or undefined. */
export function durationTooLong(ms: number, written: string): string | undefined {
  if (ms <= MAX_DURATION_MS) return undefined;
  return `${written} is longer than ${MAX_DURATION_TEXT}, kiln's limit for waits and timeouts: give a shorter duration (did you mean seconds or minutes?)`;
}

/** "1m30s" style, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
