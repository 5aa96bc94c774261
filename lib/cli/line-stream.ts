import { Writable } from 'node:stream';

/**
 * A stream that hands each line written to it to `onLine`: the Reporter's output for one
 * of several builds, tagged with the build's name or kept for its log tail. Not a
 * terminal (isTTY unset), so the Reporter writes plain lines to it, never a spinner.
 */
export function lineStream(onLine: (line: string) => void): NodeJS.WriteStream {
  let partial = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      done();
    },
  });
  // The Reporter writes and asks isTTY; it needs nothing else of a terminal stream.
  return stream as unknown as NodeJS.WriteStream;
}
