// Splitting a command line into words the way a POSIX shell (and Python's shlex, which
// pykickstart uses) would: blanks separate words, quotes group, backslash escapes.
// Pure; keeps each word's column for messages.

export interface Word {
  text: string;
  /** 0-based index of the word's first character in the line. */
  start: number;
}

export interface SplitResult {
  words: Word[];
  /** Index of an opening quote that is never closed. */
  unclosedQuote?: number;
}

export function splitWords(line: string): SplitResult {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    const start = i;
    let text = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      const ch = line[i]!;
      if (ch === "'" || ch === '"') {
        const close = findClose(line, i + 1, ch);
        if (close < 0) return { words, unclosedQuote: i };
        const inner = line.slice(i + 1, close);
        text += ch === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
        i = close + 1;
      } else if (ch === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += ch;
        i++;
      }
    }
    words.push({ text, start });
  }
  return { words };
}

function findClose(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}
