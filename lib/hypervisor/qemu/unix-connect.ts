// Connecting to a UNIX socket that a just-started process will create: until it
// listens, connect() fails with ENOENT (no file yet) or ECONNREFUSED (stale file).
import { connect, type Socket } from 'node:net';
import { CancelledError, KilnError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Give up after this long; default 10 s. */
  timeoutMs?: number;
  /** Pause between attempts; default 50 ms. */
  retryMs?: number;
}

const NOT_YET = new Set(['ENOENT', 'ECONNREFUSED']);

export async function connectUnixSocket(path: string, options: ConnectOptions = {}): Promise<Socket> {
  const { signal, timeoutMs = 10_000, retryMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new CancelledError();
    try {
      return await attempt(path, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof CancelledError) throw error;
      if (!code || !NOT_YET.has(code)) {
        throw new KilnError('E_QMP', `cannot connect to ${path}: ${(error as Error).message}`, { cause: error });
      }
      if (Date.now() + retryMs > deadline) {
        throw new KilnError('E_QMP', `nothing listened on ${path} within ${timeoutMs} ms (${code})`, {
          cause: error,
          hint: 'QEMU did not open its QMP socket: it may have failed to start or be hung; its stderr says why',
        });
      }
      await sleep(retryMs, signal);
    }
  }
}

function attempt(path: string, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const onAbort = () => {
      socket.destroy();
      reject(new CancelledError());
    };
    const settle = () => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect).off('error', onError);
    };
    const onConnect = () => (settle(), resolve(socket));
    const onError = (error: Error) => (settle(), socket.destroy(), reject(error));
    socket.once('connect', onConnect).once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
