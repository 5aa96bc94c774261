// Follows a file another process appends to (QEMU's serial.log), as `tail -f` does,
// and hands out whole lines. A line the guest leaves unfinished (a "login: " prompt)
// is handed out once nothing more has arrived for a moment.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface FollowOptions {
  /** Default 250 ms. */
  pollMs?: number;
  /** An unfinished line is passed on after this much quiet; default 1 s. */
  partialAfterMs?: number;
  /** Start reading at this byte offset; default 0 (the whole file). */
  from?: number;
}

export class FileFollower {
  private offset: number;
  private pending = '';
  private pendingSince = 0;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private stopped = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.offset = options.from ?? 0;
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
    this.pending += this.decoder.end();
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }

  private async readMore(): Promise<void> {
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return; // not created yet
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.take(this.decoder.write(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
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
