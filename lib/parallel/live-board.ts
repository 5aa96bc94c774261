// On a terminal, several builds at once as one live line each (like cargo or docker
// buildx): the build, its step, the step's elapsed time and its last message, redrawn in
// place. Lines printed with print() go above the board, which is drawn again under them.
import type { BuildEvent } from '../builder/events.js';
import { formatDuration } from '../util/duration.js';

type LineState = 'queued' | 'running' | 'ok' | 'failed' | 'cancelled';

interface BoardLine {
  name: string;
  state: LineState;
  step?: string;
  stepBegin: number;
  message?: string;
  endedMs?: number;
  begin: number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<Exclude<LineState, 'running'>, string> = { queued: '·', ok: '✔', failed: '✖', cancelled: '-' };

export class LiveBoard {
  private readonly lines: BoardLine[];
  private drawn = 0;
  private frame = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    names: readonly string[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lines = names.map((name) => ({ name, state: 'queued', stepBegin: 0, begin: 0 }));
    this.ticker = setInterval(() => this.draw(), 250);
    this.ticker.unref();
    this.draw();
  }

  started(name: string): void {
    const line = this.line(name);
    line.state = 'running';
    line.begin = this.now();
    this.draw();
  }

  /** A build's event: its step and last message change. */
  event(name: string, event: BuildEvent): void {
    const line = this.line(name);
    if (event.type === 'step-started') {
      line.step = event.step;
      line.stepBegin = this.now();
      line.message = undefined;
    } else if (event.type === 'log' && event.level !== 'debug') line.message = event.message;
    else if (event.type === 'output') line.message = `${event.source} | ${event.line}`;
    else return;
    this.draw();
  }

  ended(name: string, state: 'ok' | 'failed' | 'cancelled', ms: number): void {
    const line = this.line(name);
    line.state = state;
    line.endedMs = ms;
    this.draw();
  }

  /** Text above the board (a failed build's log tail, its error). */
  print(text: string): void {
    this.clear();
    this.stream.write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw();
  }

  /** Stops redrawing; the last drawing stays on the screen. */
  stop(): void {
    clearInterval(this.ticker);
    this.draw();
    this.drawn = 0;
  }

  private line(name: string): BoardLine {
    const line = this.lines.find((l) => l.name === name);
    if (!line) throw new Error(`no build called ${name} on the board`);
    return line;
  }

  private clear(): void {
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.clear();
    this.frame = (this.frame + 1) % FRAMES.length;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const nameWidth = Math.max(...this.lines.map((l) => l.name.length));
    const text = this.lines.map((l) => boardText(l, nameWidth, this.now(), FRAMES[this.frame]!).slice(0, width));
    this.stream.write(`${text.join('\n')}\n`);
    this.drawn = text.length;
  }
}

/** One build's line, e.g. `⠙ debian-12-efi  provision 1m2s  shell | apt-get update`. */
export function boardText(line: BoardLine, nameWidth: number, now: number, spinner: string): string {
  const name = line.name.padEnd(nameWidth);
  if (line.state === 'queued') return `${MARK.queued} ${name}  queued`;
  if (line.state !== 'running') return `${MARK[line.state]} ${name}  ${line.state === 'ok' ? 'done' : line.state} in ${formatDuration(line.endedMs ?? 0)}${line.state === 'ok' ? '' : ` (${line.step ?? 'start'})`}`;
  const step = line.step ? `${line.step} ${formatDuration(now - line.stepBegin)}` : 'starting';
  return `${spinner} ${name}  ${step}${line.message ? `  ${line.message.replace(/\s+/g, ' ')}` : ''}`;
}
