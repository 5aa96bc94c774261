// Binds a server to a port from a range. Ports are tried from a random start so two
// builds running at once rarely collide, and a taken port just moves on to the next.
import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { KilnError, throwIfAborted } from '../errors.js';

/** Enough to get past a crowded stretch, few enough to fail fast when something is wrong. */
const MAX_ATTEMPTS = 64;

export async function listenInRange(
  server: Server,
  host: string,
  [low, high]: [number, number],
  signal?: AbortSignal,
): Promise<number> {
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high > 65535 || low > high) {
    throw new KilnError('E_HTTP', `invalid port range ${low}-${high}`, { hint: 'give two ports between 1 and 65535, low first' });
  }
  const size = high - low + 1;
  const start = randomInt(size);
  const attempts = Math.min(size, MAX_ATTEMPTS);
  for (let i = 0; i < attempts; i++) {
    throwIfAborted(signal);
    const port = low + ((start + i) % size);
    try {
      await listenOnce(server, host, port);
      return port;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') continue;
      throw new KilnError('E_HTTP', `cannot listen on ${host}:${port}: ${(error as Error).message}`, {
        cause: error,
        hint: code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine` : undefined,
      });
    }
  }
  throw new KilnError(
    'E_HTTP',
    `no free port for the HTTP server on ${host}: ${attempts === size ? 'every' : `${attempts} tried, each`} port in ${low}-${high} is in use`,
    { hint: 'stop whatever holds those ports, or choose another port range' },
  );
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
