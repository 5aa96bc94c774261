// <waitSerial>: the serial log read as a stream (AppendedText): each wait searches only
// what came after the previous match, so `<waitSerial "login:">` after a reboot does not
// match the login prompt of the first boot. The work per poll is bounded: only new text
// is searched for a plain string, a pattern sees at most the last WINDOW characters and
// only when something new arrived, and a user's regex runs with a time budget, so a
// catastrophic one fails the wait with a clear error instead of freezing kiln (and Ctrl-C).
import vm from 'node:vm';
import { KilnError } from '../errors.js';
import { AppendedText } from '../util/appended-text.js';
import { sleep } from '../util/sleep.js';

/** Unmatched serial text kept for a pattern to match in: a prompt is near the end. */
export const SERIAL_WINDOW = 64 * 1024;
/** How long one regex search may run before it counts as runaway backtracking. */
export const REGEX_BUDGET_MS = 250;

export class SerialWatch {
  private readonly text: AppendedText;
  /** The text after the last match, as far as read (at most SERIAL_WINDOW characters). */
  private pending = '';
  private readonly sandbox = vm.createContext({ re: /$^/, text: '' });
  private readonly search = new vm.Script('re.exec(text)');

  constructor(path: string) {
    this.text = new AppendedText(path);
  }

  async waitFor(pattern: string | RegExp, options: { timeoutMs: number; signal?: AbortSignal; pollMs?: number }): Promise<string> {
    const deadline = Date.now() + options.timeoutMs;
    const regex = typeof pattern === 'string' ? undefined : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    // For a plain string: where in `pending` it cannot start any more.
    let searchedTo = 0;
    let fresh = true;
    for (;;) {
      const added = await this.text.read();
      if (added || fresh) {
        fresh = false;
        this.pending += added;
        if (this.pending.length > SERIAL_WINDOW) {
          const cut = this.pending.length - SERIAL_WINDOW;
          this.pending = this.pending.slice(cut);
          searchedTo = Math.max(0, searchedTo - cut);
        }
        const found = regex ? this.findRegex(regex) : findText(this.pending, pattern as string, searchedTo);
        if (found) {
          this.pending = this.pending.slice(found.end);
          return found.match;
        }
        if (!regex) searchedTo = Math.max(0, this.pending.length - (pattern as string).length + 1);
      }
      if (Date.now() >= deadline) {
        throw new KilnError('E_BOOT', `timed out waiting for the serial console to print ${describe(pattern)}`, {
          hint: 'check serial.log in the output directory: the guest may print something else, or nothing on ttyS0 (add console=ttyS0 to the kernel command line)',
        });
      }
      await sleep(options.pollMs ?? 200, options.signal);
    }
  }

  private findRegex(regex: RegExp): { match: string; end: number } | undefined {
    this.sandbox.re = regex;
    this.sandbox.text = this.pending;
    let m: RegExpExecArray | null;
    try {
      m = this.search.runInContext(this.sandbox, { timeout: REGEX_BUDGET_MS }) as RegExpExecArray | null;
    } catch (error) {
      throw new KilnError('E_BOOT', `the <waitSerial> pattern ${regex} took more than ${REGEX_BUDGET_MS} ms on ${this.pending.length} characters of serial output`, {
        cause: error,
        hint: 'it backtracks without end (nested quantifiers such as (a+)+ or (.*)*): write it without them, or wait for a plain string',
      });
    }
    return m ? { match: m[0], end: m.index + m[0].length } : undefined;
  }
}

function findText(text: string, pattern: string, from: number): { match: string; end: number } | undefined {
  const at = text.indexOf(pattern, from);
  return at < 0 ? undefined : { match: pattern, end: at + pattern.length };
}

const describe = (p: string | RegExp) => (typeof p === 'string' ? JSON.stringify(p) : String(p));
