// A TCP port nobody listens on, found by binding it. findFreePort lets go at once, so
// another program can take the port before the caller binds it; reservePort keeps it
// bound until the caller is about to hand it over (to VirtualBox, which binds it only
// when the VM starts, seconds later), which leaves that race a moment instead.
import { createServer, type Server } from 'node:net';
import { KilnError } from '../errors.js';

export interface PortReservation {
  readonly port: number;
  /** Lets the port go (idempotent): call it right before whatever binds the port. */
  release(): Promise<void>;
}

/** Without a range the OS picks; with [min, max] (inclusive) random ports in it are tried. */
export async function findFreePort(host = '127.0.0.1', range?: [number, number]): Promise<number> {
  const reservation = await reservePort(host, range);
  await reservation.release();
  return reservation.port;
}

/** A free port, kept bound by this process until release(). */
export async function reservePort(host = '127.0.0.1', range?: [number, number]): Promise<PortReservation> {
  if (!range) return bind(host, 0);
  const [min, max] = range;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
    throw new KilnError('E_USAGE', `${min}-${max} is not a port range`, { hint: 'give two whole numbers from 1 to 65535, the smaller first' });
  }
  let lastError: unknown;
  for (const port of randomPorts(min, max, 1024)) {
    try {
      return await bind(host, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw bindError(host, error);
      lastError = error;
    }
  }
  throw new KilnError('E_USAGE', `no free port on ${host} between ${min} and ${max}`, {
    cause: lastError,
    hint: 'widen the port range or stop what listens there',
  });
}

function bind(host: string, port: number): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref(); // a reservation never keeps kiln running
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(port === 0 ? bindError(host, error) : error);
    });
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({ port: bound, release: once(server) });
    });
  });
}

const once = (server: Server) => {
  let closed: Promise<void> | undefined;
  return () => (closed ??= new Promise<void>((done) => server.close(() => done())));
};

function bindError(host: string, cause: unknown): KilnError {
  return new KilnError('E_USAGE', `cannot listen on ${host}: ${(cause as Error).message}`, {
    cause,
    hint: 'use an address of this machine, such as 127.0.0.1',
  });
}

/** Up to `count` distinct ports from [min, max] in random order. */
function* randomPorts(min: number, max: number, count: number): Generator<number> {
  const size = max - min + 1;
  const tried = new Set<number>();
  while (tried.size < Math.min(size, count)) {
    const port = min + Math.floor(Math.random() * size);
    if (tried.has(port)) continue;
    tried.add(port);
    yield port;
  }
}
