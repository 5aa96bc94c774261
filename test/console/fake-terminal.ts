// A terminal for the console tests: input we type into, output we read, raw mode recorded.
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

export interface FakeTerminal {
  input: PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(mode: boolean): void; modes: boolean[] };
  output: PassThrough & { columns: number; rows: number };
  text(): string;
  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function fakeTerminal(tty = true): FakeTerminal {
  const input = Object.assign(new PassThrough(), {
    isTTY: tty,
    isRaw: false,
    modes: [] as boolean[],
    setRawMode(mode: boolean) {
      input.isRaw = mode;
      input.modes.push(mode);
    },
  });
  const output = Object.assign(new PassThrough(), { columns: 100, rows: 30 });
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  return {
    input,
    output,
    text: () => text,
    async waitFor(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${text}`);
        await delay(5);
      }
    },
  };
}

/** A UNIX socket server standing in for QEMU's serial chardev. */
export async function fakeSerial(path: string, greeting: string): Promise<{ server: Server; received: () => string; clients: Socket[] }> {
  let received = '';
  const clients: Socket[] = [];
  const server = createServer((socket) => {
    clients.push(socket);
    socket.write(greeting);
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, received: () => received, clients };
}
