// The --json event stream of a spawned `kiln build --json`, for e2e tests to assert on
// what happened (steps, cache decisions) rather than on human text.
export interface KilnEvent {
  type: string;
  [field: string]: unknown;
}

/** The complete event lines of `stdout` (a line still being written is left for later). */
export const eventsOf = (stdout: string): KilnEvent[] =>
  stdout
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KilnEvent);

/** The steps that ran (started), in order. */
export const stepsRun = (events: readonly KilnEvent[]): string[] => events.filter((e) => e.type === 'step-started').map((e) => String(e.step));

/** The one event of `type`; fails loudly when there is none. */
export function eventOf(events: readonly KilnEvent[], type: string): KilnEvent {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} event among: ${events.map((e) => e.type).join(', ')}`);
  return found;
}
