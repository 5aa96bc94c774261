// Turns a byte stream into lines for live output and error tails. Chunks from SSH
// channels split lines (and multi-byte characters) anywhere, so both are buffered.

import { StringDecoder } from 'node:string_decoder';

/** A line this long is emitted even without a newline, so a progress bar cannot grow memory. */
export const MAX_LINE_LENGTH = 64 * 1024;

export class LineSplitter {
  readonly #onLine: (line: string) => void;
  readonly #maxLength: number;
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';

  constructor(onLine: (line: string) => void, maxLength = MAX_LINE_LENGTH) {
    this.#onLine = onLine;
    this.#maxLength = maxLength;
  }

  push(chunk: Buffer | string): void {
    let text = this.#pending + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    let newline: number;
    while ((newline = text.indexOf('\n')) !== -1) {
      this.#emit(text.slice(0, newline));
      text = text.slice(newline + 1);
    }
    while (text.length >= this.#maxLength) {
      this.#emit(text.slice(0, this.#maxLength));
      text = text.slice(this.#maxLength);
    }
    this.#pending = text;
  }

  /** Emits what is left after the last newline; call once when the stream ends. */
  flush(): void {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (rest) this.#emit(rest);
  }

  #emit(line: string): void {
    this.#onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** Keeps the last `limit` lines pushed to it. */
export class LineTail {
  readonly #limit: number;
  readonly #lines: string[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#limit) this.#lines.shift();
  }

  get lines(): string[] {
    return [...this.#lines];
  }
}
