// --json: the build as one JSON object per line on stdout, for CI systems and wrappers.
// Every object has `type` and `time`; the types are listed in docs/debugging.md.
// Human output keeps going to stderr, so stdout carries nothing but these lines.
import type { BuildEvent } from '../builder/events.js';
import { KilnError, ValidationError, type Issue } from '../errors.js';
import { sortIssues } from '../template/format-issues.js';

const PROVISIONER = /^provision\[(\d+)\]/;

/** An issue as a JSON object: the file it is in (the template's unless named), then where and what. */
function jsonIssue(issue: Issue, templateFile = 'template'): Record<string, unknown> {
  return {
    file: issue.file ?? templateFile,
    ...(issue.line !== undefined ? { line: issue.line, column: issue.column ?? 1 } : {}),
    path: issue.path,
    message: issue.message,
  };
}

export class JsonReporter {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly verbose = false,
    private readonly now: () => Date = () => new Date(),
    /** Several builds at once: the build every object comes from (`build`). */
    private readonly build?: string,
  ) {}

  buildStarted(fields: { name: string; hypervisor: string; kiln_version: string; template: string }): void {
    this.write('build-started', fields);
  }

  buildFinished(fields: { ms: number; output_dir: string; files: { file: string; format: string; bytes: number; sha256: string }[] }): void {
    this.write('build-finished', { status: 'ok', ...fields, ms: Math.round(fields.ms) });
  }

  /** The error that ended the build, with the exit code kiln is about to return. */
  error(error: unknown, exitCode: number): void {
    const e = error instanceof Error ? error : new Error(String(error));
    this.write('error', {
      code: error instanceof KilnError ? error.code : 'E_INTERNAL',
      message: e.message,
      hint: error instanceof KilnError ? error.hint : undefined,
      // Each problem with its position: the message alone only counts them.
      ...(error instanceof ValidationError ? { issues: sortIssues(error.issues).map((issue) => jsonIssue(issue, error.file)) } : {}),
      exit_code: exitCode,
    });
  }

  /** Several builds: how each ended, once all have (`summary`). */
  summary(builds: { name: string; status: string; ms: number; output_dir?: string; files?: string[] }[], exitCode: number): void {
    this.write('summary', { builds: builds.map((b) => ({ ...b, ms: Math.round(b.ms) })), exit_code: exitCode });
  }

  /** One event of the build's stream (already masked). */
  event(event: BuildEvent): void {
    switch (event.type) {
      case 'step-started':
        return this.write('step-started', { step: event.step });
      case 'step-finished':
        return this.write('step-finished', { step: event.step, status: event.status, ms: event.ms });
      case 'log':
        return this[event.level](event.message);
      case 'output':
        return this.output(event.source, event.line, event.stream);
      default: {
        const { type, ...fields } = event;
        return this.write(type, fields);
      }
    }
  }

  info(message: string): void {
    this.write('log', { level: 'info', message });
  }
  warn(message: string): void {
    this.write('log', { level: 'warn', message });
  }
  debug(message: string): void {
    if (this.verbose) this.write('log', { level: 'debug', message });
  }
  output(source: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const provisioner = PROVISIONER.exec(source);
    if (provisioner) this.write('provisioner-output', { provisioner: Number(provisioner[1]), source, stream, line });
    else this.write('output', { source, stream, line });
  }

  private write(type: string, fields: Record<string, unknown>): void {
    const tag = this.build !== undefined ? { build: this.build } : {};
    this.out.write(`${JSON.stringify({ type, time: this.now().toISOString(), ...tag, ...fields })}\n`);
  }
}
