// Follows a file another process appends to (QEMU's serial.log), as `tail -f` does,
// and hands out whole lines. A line the guest leaves unfinished (a "login: " prompt)
// is handed out once nothing more has arrived for a moment.
import { AppendedText } from '../util/appended-text.js';

export interface FollowOptions {
  /** Default 250 ms. */
  pollMs?: number;
  /** An unfinished line is passed on after this much quiet; default 1 s. */
  partialAfterMs?: number;
  /** Start reading at this byte offset; default 0 (the whole file). */
  from?: number;
}

export class FileFollower {
  private readonly text: AppendedText;
  private pending = '';
  private pendingSince = 0;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private stopped = false;

  constructor(
    path: string,
    private readonly onLine: (line: string) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.text = new AppendedText(path, options.from ?? 0);
  }

  start(): void {
    const tick = () => {
      this.reading = this.readMore().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 250);
      });
    };
    tick();
  }

  /** Reads what is left, passes on the unfinished line too, and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
    await this.readMore();
    this.pending += this.text.end();
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }

  private async readMore(): Promise<void> {
    this.take(await this.text.read());
    if (this.pending && !this.stopped && Date.now() - this.pendingSince >= (this.options.partialAfterMs ?? 1000)) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  private take(text: string): void {
    if (!text) return;
    if (!this.pending) this.pendingSince = Date.now();
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop()!;
    for (const line of parts) this.onLine(line);
    if (parts.length > 0) this.pendingSince = Date.now();
  }
}
