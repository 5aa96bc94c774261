import ora, { type Ora } from 'ora';
import type { BuildEvent } from '../builder/events.js';
import type { StepTiming } from '../pipeline/step.js';
import { formatDuration } from '../util/duration.js';

/**
 * Human progress on stderr: one line per step with its elapsed time (an ora spinner
 * while it runs on a TTY; plain lines otherwise, e.g. in CI), and the messages of the
 * running step indented under it.
 */
export class Reporter {
  private spinner?: Ora;
  private begin = 0;
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly verbose = false,
    private readonly tty = Boolean(stream.isTTY) && !process.env.CI,
  ) {}

  /** One event of the build's stream (already masked); the steps' structured events are --json's. */
  event(event: BuildEvent, dim: (text: string) => string = (t) => t): void {
    switch (event.type) {
      case 'step-started':
        return this.stepStarted(event.step);
      case 'step-finished':
        return this.stepFinished({ name: event.step, status: event.status, ms: event.ms });
      case 'log':
        return this[event.level](event.message);
      case 'output':
        return this.output(event.source, event.line);
      case 'serial':
        // The guest's lines, in a column of their own and dimmed, apart from kiln's.
        return this.line(dim(`serial> ${event.line}`));
      default:
        return undefined;
    }
  }

  stepStarted(name: string): void {
    this.begin = performance.now();
    if (!this.tty) {
      this.stream.write(`==> ${name}\n`);
      return;
    }
    this.spinner = ora({ text: name, stream: this.stream }).start();
    this.ticker = setInterval(() => {
      if (this.spinner) this.spinner.text = `${name} ${formatDuration(performance.now() - this.begin)}`;
    }, 500);
    this.ticker.unref();
  }

  stepFinished(timing: StepTiming): void {
    const text = `${timing.name} ${timing.status === 'ok' ? '' : `${timing.status} `}(${formatDuration(timing.ms)})`;
    clearInterval(this.ticker);
    if (this.spinner) {
      if (timing.status === 'ok') this.spinner.succeed(text);
      else this.spinner.fail(text);
      this.spinner = undefined;
    } else if (timing.status !== 'skipped') {
      this.stream.write(`${timing.status === 'ok' ? 'ok ' : '!! '} ${text}\n`);
    }
  }

  info(message: string): void {
    this.line(`    ${message}`);
  }
  warn(message: string): void {
    this.line(`    warning: ${message}`);
  }
  debug(message: string): void {
    if (this.verbose) this.line(`    debug: ${message}`);
  }
  output(source: string, line: string): void {
    this.line(`    ${source} | ${line}`);
  }

  /** Prints a line above the spinner without garbling it. */
  line(text: string): void {
    if (this.spinner) {
      this.spinner.clear();
      this.stream.write(`${text}\n`);
      this.spinner.render();
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  stop(): void {
    clearInterval(this.ticker);
    this.spinner?.stop();
    this.spinner = undefined;
  }
}
