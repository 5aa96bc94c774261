import { createWriteStream, type WriteStream } from 'node:fs';
import type { Log } from '../log/log.js';

/**
 * The build's Log: forwards to the CLI's sink and, once the output directory exists,
 * also appends every line (with a timestamp) to build.log. Values of sensitive
 * variables are masked in both, so a password never reaches a terminal or a file.
 */
export class BuildLog implements Log {
  private file?: WriteStream;
  private readonly early: string[] = [];
  private readonly secrets: string[];

  constructor(
    private readonly sink: Log,
    secrets: string[] = [],
  ) {
    // Longest first so a secret that contains another is masked whole.
    this.secrets = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('<sensitive>');
    return out;
  }

  info(message: string): void {
    const m = this.mask(message);
    this.sink.info(m);
    this.write('info', m);
  }
  warn(message: string): void {
    const m = this.mask(message);
    this.sink.warn(m);
    this.write('warn', m);
  }
  debug(message: string): void {
    const m = this.mask(message);
    this.sink.debug(m);
    this.write('debug', m);
  }
  output(source: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const l = this.mask(line);
    this.sink.output(source, l, stream);
    this.write(stream === 'stderr' ? 'err' : 'out', `${source}: ${l}`);
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

  private write(level: string, message: string): void {
    const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`;
    if (this.file) this.file.write(line);
    else this.early.push(line);
  }
}
