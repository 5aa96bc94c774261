// A build is a flat list of small steps sharing one typed context (Packer's multistep,
// minus the string-keyed state bag). A step that opens something owns it and releases
// it in cleanup; the runner calls cleanups in reverse for every step that started.

export interface CleanupInfo {
  /** The build is ending because a step failed or it was cancelled. */
  failed: boolean;
  cancelled: boolean;
  /** --on-error=abort: stop processes but keep every file in place for inspection. */
  keepFiles: boolean;
}

export interface Step<C> {
  /** Short kebab-case name shown in progress lines, timings and the manifest. */
  readonly name: string;
  /** Skipped steps are neither run nor cleaned up (e.g. no HTTP server when nothing is served). */
  skip?(ctx: C): boolean;
  run(ctx: C, signal: AbortSignal): Promise<void>;
  cleanup?(ctx: C, info: CleanupInfo): Promise<void>;
}

/** After a step failed: run it again, clean up (the default), or clean up but keep files. */
export type FailureDecision = 'retry' | 'cleanup' | 'keep-files';

export interface StepTiming {
  name: string;
  ms: number;
  status: 'ok' | 'failed' | 'cancelled' | 'skipped';
}
