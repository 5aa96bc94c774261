// kiln's one port finder. A server kiln runs itself is bound here and keeps its port
// (listenOnFreePort): no gap between choosing a port and binding it, so no race. A port
// handed to another program (QEMU's or VirtualBox's SSH forward) is kept bound here
// (reservePort) until just before that program binds it, which leaves a moment, not the
// seconds VirtualBox takes to define a VM; findFreePort lets go at once.
import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { KilnError, throwIfAborted, type ErrorCode } from '../errors.js';

/** Enough to get past a crowded stretch, few enough to fail fast when something is wrong. */
const MAX_ATTEMPTS = 64;

export interface ListenOptions {
  /** Inclusive; without it the OS picks a free port (bind port 0, read the address). */
  range?: [number, number];
  signal?: AbortSignal;
  /** The code of the KilnError thrown when no port can be had (the caller's domain). */
  code?: ErrorCode;
}

/**
 * Binds `server` (node:net or node:http) on `host` and returns the port it holds. With a
 * range, ports are tried from a random start, so two builds at once rarely collide; a
 * taken one (EADDRINUSE, or EACCES for a privileged port) moves on to the next.
 */
export async function listenOnFreePort(server: Server, host: string, options: ListenOptions = {}): Promise<number> {
  const { range, signal, code = 'E_USAGE' } = options;
  if (!range) {
    throwIfAborted(signal);
    try {
      return await listenOnce(server, host, 0);
    } catch (error) {
      throw bindError(code, host, error);
    }
  }
  const [low, high] = range;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high > 65535 || low > high) {
    throw new KilnError(code, `${low}-${high} is not a port range`, { hint: 'give two whole numbers from 1 to 65535, the smaller first' });
  }
  const size = high - low + 1;
  const start = randomInt(size);
  const attempts = Math.min(size, MAX_ATTEMPTS);
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    throwIfAborted(signal);
    const port = low + ((start + i) % size);
    try {
      return await listenOnce(server, host, port);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno !== 'EADDRINUSE' && errno !== 'EACCES') throw bindError(code, host, error);
      lastError = error;
    }
  }
  throw new KilnError(
    code,
    `no free port on ${host}: ${attempts === size ? 'every' : `${attempts} tried, each`} port in ${low}-${high} is in use`,
    { cause: lastError, hint: 'stop whatever holds those ports, or choose another port range' },
  );
}

export interface PortReservation {
  readonly port: number;
  /** Lets the port go (idempotent): call it right before whatever binds the port. */
  release(): Promise<void>;
}

/** A free port, kept bound by this process until release(). */
export async function reservePort(host = '127.0.0.1', range?: [number, number]): Promise<PortReservation> {
  const server = createServer();
  server.unref(); // a reservation never keeps kiln running
  const port = await listenOnFreePort(server, host, range ? { range } : {});
  let closed: Promise<void> | undefined;
  return { port, release: () => (closed ??= new Promise<void>((done) => server.close(() => done()))) };
}

/** A port nobody listened on a moment ago, for another program to bind (see the file comment). */
export async function findFreePort(host = '127.0.0.1', range?: [number, number]): Promise<number> {
  const reservation = await reservePort(host, range);
  await reservation.release();
  return reservation.port;
}

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: a cluster worker must not share a port another worker holds.
    server.listen({ host, port, exclusive: true });
  });
}

function bindError(code: ErrorCode, host: string, cause: unknown): KilnError {
  const errno = (cause as NodeJS.ErrnoException).code;
  return new KilnError(code, `cannot listen on ${host}: ${(cause as Error).message}`, {
    cause,
    hint: errno === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine: use one that is, such as 127.0.0.1` : 'use an address of this machine, such as 127.0.0.1',
  });
}
