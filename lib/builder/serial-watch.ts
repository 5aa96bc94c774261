import { open } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import { sleep } from '../util/sleep.js';

/**
 * Reads the serial log as a stream: each wait searches only what came after the
 * previous match, so `<waitSerial "login:">` after a reboot does not match the
 * login prompt of the first boot. Each poll reads only the bytes added since the last.
 */
export class SerialWatch {
  /** The text after the last match, as far as read; latin1, so one character per byte. */
  private pending = '';
  private readOffset = 0;

  constructor(private readonly path: string) {}

  async waitFor(pattern: string | RegExp, options: { timeoutMs: number; signal?: AbortSignal; pollMs?: number }): Promise<string> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const added = await readFrom(this.path, this.readOffset);
      this.readOffset += added.length;
      this.pending += added;
      const found = find(this.pending, pattern);
      if (found) {
        this.pending = this.pending.slice(found.end);
        return found.match;
      }
      if (Date.now() >= deadline) {
        throw new KilnError('E_BOOT', `timed out waiting for the serial console to print ${describe(pattern)}`, {
          hint: 'check serial.log in the output directory: the guest may print something else, or nothing on ttyS0 (add console=ttyS0 to the kernel command line)',
        });
      }
      await sleep(options.pollMs ?? 200, options.signal);
    }
  }
}

/** The file's bytes from `offset` on, as latin1; '' while it does not exist. */
async function readFrom(path: string, offset: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return '';
  try {
    const { size } = await file.stat();
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

function find(text: string, pattern: string | RegExp): { match: string; end: number } | undefined {
  if (typeof pattern === 'string') {
    const at = text.indexOf(pattern);
    return at < 0 ? undefined : { match: pattern, end: at + pattern.length };
  }
  const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
  return m ? { match: m[0], end: m.index + m[0].length } : undefined;
}

const describe = (p: string | RegExp) => (typeof p === 'string' ? JSON.stringify(p) : String(p));
