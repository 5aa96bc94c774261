// One line from the user's terminal, in its normal (cooked) mode: the terminal does the
// line editing, and Ctrl-C stays a signal, which the CLI turns into a clean shutdown.
import { CancelledError } from '../errors.js';
import type { Readable } from 'node:stream';
import type { TerminalIo } from './terminal-bridge.js';

/** The next line without its line end, or undefined at end of input. */
export function readLine(input: TerminalIo['input'] & Pick<Readable, 'unshift'>, signal?: AbortSignal): Promise<string | undefined> {
  if (signal?.aborted) return Promise.reject(new CancelledError());
  if (input.isTTY && input.setRawMode) input.setRawMode(false);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (line: string | undefined | Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      signal?.removeEventListener('abort', onAbort);
      input.pause();
      if (line instanceof Error) reject(line);
      else resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const end = /\r?\n|\r/.exec(text);
      if (!end) return;
      finish(text.slice(0, end.index));
      // Typed ahead (or piped): the rest is for the next reader.
      const rest = text.slice(end.index + end[0].length);
      if (rest) input.unshift(Buffer.from(rest));
    };
    const onEnd = () => finish(text || undefined);
    const onAbort = () => finish(new CancelledError());
    input.on('data', onData);
    input.on('end', onEnd);
    signal?.addEventListener('abort', onAbort, { once: true });
    input.resume();
  });
}
