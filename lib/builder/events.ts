// Structured progress of a build, for --json and other wrappers (and --console's
// stream). Steps emit them through ctx.emit; run-build masks sensitive values and
// hands them to the CLI. Step start/finish, log lines and errors come from the
// runner and the Log; these are the facts only the steps know.

export type BuildEvent =
  /** boot.wait done: a fixed sleep, or `auto` (settled false: the upper bound ran out). */
  | { type: 'boot-wait'; mode: 'fixed' | 'auto'; ms: number; settled?: boolean }
  /** One line of boot.command typed: how many key presses, how long typing took. */
  | { type: 'keys'; line: number; keys: number; ms: number }
  /** A <waitHttp>, <waitSerial> or <waitScreen> was satisfied after `ms`. */
  | { type: 'wait'; kind: 'http' | 'serial' | 'screen'; target: string; ms: number; detail?: Record<string, unknown> }
  /** The guest requested something from the embedded HTTP server (`rejected`: Node's HTTP parser refused it, with this error code). */
  | { type: 'http-request'; method: string; path: string; status: number; bytes: number; remote: string; ms: number; user_agent?: string; rejected?: string }
  /** One SSH login attempt. */
  | { type: 'ssh-attempt'; attempt: number; ok: boolean; error?: string }
  /** A screenshot was saved. */
  | { type: 'screenshot'; file: string; reason: 'boot-line' | 'before-typing' | 'failure' }
  /** A line the guest printed on its serial console (--console only). */
  | { type: 'serial'; line: string };

export type EmitEvent = (event: BuildEvent) => void;

/** Every string in the event passed through `mask` (sensitive variable values). */
export function maskEvent(event: BuildEvent, mask: (text: string) => string): BuildEvent {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return mask(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(event) as BuildEvent;
}
