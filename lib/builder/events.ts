// Everything a build says, as events: log lines and tool output (through ctx.log), step
// starts and ends (from the runner), and the facts only the steps know (ctx.emit). All of
// them go through BuildLog.emit, the one output path, which masks them once; the
// terminal reporter, the --json reporter and build.log consume the same stream.

export type BuildEvent =
  | { type: 'log'; level: 'info' | 'warn' | 'debug'; message: string }
  /** A line printed by something kiln runs (a provisioner, a tool), tagged by its source. */
  | { type: 'output'; source: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'step-started'; step: string }
  | { type: 'step-finished'; step: string; status: 'ok' | 'failed' | 'cancelled' | 'skipped'; ms: number }
  /** boot.wait done: a fixed sleep, or `auto` (settled false: the upper bound ran out). */
  | { type: 'boot-wait'; mode: 'fixed' | 'auto'; ms: number; settled?: boolean }
  /** One line of boot.command typed: how many key presses, how long typing took. */
  | { type: 'keys'; line: number; keys: number; ms: number }
  /** A <waitHttp>, <waitSerial> or <waitScreen> was satisfied after `ms`; or (checkpoint) the build waited for a memory checkpoint to be written. */
  | { type: 'wait'; kind: 'http' | 'serial' | 'screen' | 'checkpoint'; target: string; ms: number; detail?: Record<string, unknown> }
  /** The guest requested something from the embedded HTTP server (`rejected`: Node's HTTP parser refused it, with this error code). */
  | { type: 'http-request'; method: string; path: string; status: number; bytes: number; remote: string; ms: number; user_agent?: string; rejected?: string }
  /** One SSH login attempt. */
  | { type: 'ssh-attempt'; attempt: number; ok: boolean; error?: string }
  /** A screenshot was saved. */
  | { type: 'screenshot'; file: string; reason: 'boot-line' | 'before-typing' | 'failure' }
  /** Where the stage cache resumes (null: from nothing), how many of the stages it holds, and why the next one runs. */
  | { type: 'cache'; resumed_from: string | null; cached: number; stages: number; next?: string }
  /** A resumed build restored the layer's running guest (ms: loading its state), or booted its disk (why). */
  | { type: 'restore'; stage: string; restored: boolean; ms?: number; why?: string }
  /** A live checkpoint: the build waited `ms`, the guest was paused `paused_ms`; its memory saved, being written in the background, or not kept. */
  | { type: 'snapshot'; stage: string; ms: number; paused_ms: number; memory: 'saved' | 'background' | 'skipped' | 'none' }
  /** A stage's layer was stored in the cache. */
  | { type: 'checkpoint'; stage: string; layer: string }
  /** A line the guest printed on its serial console (--console only). */
  | { type: 'serial'; line: string };

export type EmitEvent = (event: BuildEvent) => void;
/** A consumer of the (already masked) stream: the terminal, --json. */
export type EventSink = (event: BuildEvent) => void;
