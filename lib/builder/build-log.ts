// The build's one output path. Everything a build says (log lines, tool output, step
// starts and ends, the steps' structured events) is an event emitted here; it is
// masked once, at the source, then written to build.log and handed to the sinks the
// CLI attached (the terminal reporter, the --json reporter). No consumer masks again,
// and none can see an unmasked line.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Log } from '../log/log.js';
import type { Masker } from '../log/mask.js';
import type { BuildEvent, EventSink } from './events.js';

export class BuildLog implements Log {
  private file?: WriteStream;
  private readonly early: string[] = [];

  constructor(
    readonly masker: Masker,
    private readonly sinks: readonly EventSink[] = [],
  ) {}

  emit(event: BuildEvent): void {
    const masked = this.masker.maskDeep(event);
    const line = logLine(masked);
    if (line !== undefined) this.write(line);
    for (const sink of this.sinks) sink(masked);
  }

  info(message: string): void {
    this.emit({ type: 'log', level: 'info', message });
  }
  warn(message: string): void {
    this.emit({ type: 'log', level: 'warn', message });
  }
  debug(message: string): void {
    this.emit({ type: 'log', level: 'debug', message });
  }
  output(source: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.emit({ type: 'output', source, line, stream });
  }

  /** Starts writing build.log; lines logged before this are written first. */
  attachFile(path: string): void {
    this.file = createWriteStream(path, { flags: 'a' });
    for (const line of this.early.splice(0)) this.file.write(line);
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }

  private write(line: string): void {
    const text = `${new Date().toISOString()} ${line}\n`;
    if (this.file) this.file.write(text);
    else this.early.push(text);
  }
}

/** build.log's line for an event; the steps' structured events are for --json only. */
function logLine(event: BuildEvent): string | undefined {
  switch (event.type) {
    case 'log':
      return `${event.level.padEnd(5)} ${event.message}`;
    case 'output':
      return `${(event.stream === 'stderr' ? 'err' : 'out').padEnd(5)} ${event.source}: ${event.line}`;
    case 'step-started':
      return `debug step ${event.step} started`;
    case 'step-finished':
      return `debug step ${event.step} ${event.status} in ${event.ms}ms`;
    default:
      return undefined;
  }
}
