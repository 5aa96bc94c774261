import { readFile } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import { sleep } from '../util/sleep.js';

/**
 * Reads the serial log as a stream: each wait searches only what came after the
 * previous match, so `<waitSerial "login:">` after a reboot does not match the
 * login prompt of the first boot.
 */
export class SerialWatch {
  private cursor = 0;

  constructor(private readonly path: string) {}

  async waitFor(pattern: string | RegExp, options: { timeoutMs: number; signal?: AbortSignal; pollMs?: number }): Promise<string> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const text = await readFile(this.path, 'latin1').catch(() => '');
      const rest = text.slice(this.cursor);
      const found = find(rest, pattern);
      if (found) {
        this.cursor += found.end;
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

function find(text: string, pattern: string | RegExp): { match: string; end: number } | undefined {
  if (typeof pattern === 'string') {
    const at = text.indexOf(pattern);
    return at < 0 ? undefined : { match: pattern, end: at + pattern.length };
  }
  const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
  return m ? { match: m[0], end: m.index + m[0].length } : undefined;
}

const describe = (p: string | RegExp) => (typeof p === 'string' ? JSON.stringify(p) : String(p));
