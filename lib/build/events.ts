// Structured progress of a build, for --json and other wrappers (and --console's
// stream). Steps emit them through ctx.emit; run-build masks sensitive values and
// hands them to the CLI. Step start/finish, log lines and errors come from the
// runner and the Log; these are the facts only the steps know.
import type { RequestRecord } from '../http/request-log.js';
import type { Log } from '../pipeline/log.js';

export type BuildEvent =
  /** boot.wait done: a fixed sleep, or `auto` (settled false: the upper bound ran out). */
  | { type: 'boot-wait'; mode: 'fixed' | 'auto'; ms: number; settled?: boolean }
  /** One line of boot.command typed: how many key presses, how long typing took. */
  | { type: 'keys'; line: number; keys: number; ms: number }
  /** A <waitHttp>, <waitSerial> or <waitScreen> was satisfied after `ms`. */
  | { type: 'wait'; kind: 'http' | 'serial' | 'screen'; target: string; ms: number; detail?: Record<string, unknown> }
  /** The guest requested something from the embedded HTTP server. */
  | { type: 'http-request'; method: string; path: string; status: number; bytes: number; remote: string; user_agent?: string }
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

const HTTP_MESSAGE = /^http: (\S+) .* -> (\d+) \((\d+) bytes\)$/s;

/**
 * Passes `log` through, emitting an http-request event for each request the embedded
 * server logs (its "http: GET /ks.cfg -> 200 (312 bytes)" line), with the details of
 * the matching record: which client, which user agent.
 */
export function withHttpEvents(log: Log, requests: () => readonly RequestRecord[] | undefined, emit: EmitEvent): Log {
  const observe = (message: string) => {
    const m = HTTP_MESSAGE.exec(message);
    if (!m) return;
    const [method, status, bytes] = [m[1]!, Number(m[2]), Number(m[3])];
    const record = [...(requests() ?? [])].reverse().find((r) => r.method === method && r.status === status && r.bytes === bytes);
    if (!record) return;
    emit({ type: 'http-request', method, path: record.path, status, bytes, remote: record.remote, user_agent: record.userAgent });
  };
  return {
    info: (message) => {
      log.info(message);
      observe(message);
    },
    warn: (message) => {
      log.warn(message);
      observe(message);
    },
    debug: (message) => log.debug(message),
    output: (source, line, stream) => log.output(source, line, stream),
  };
}
