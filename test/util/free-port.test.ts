import { createServer, type Server } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findFreePort, listenOnFreePort, reservePort } from '../../lib/util/free-port.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

const servers: Server[] = [];
const listen = (port: number, host = '127.0.0.1') =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => (servers.push(server), resolve(server)));
  });
const portOf = (server: Server) => (server.address() as { port: number }).port;


test('a port from the OS can be bound right after', async () => {
  const port = await findFreePort();
  assert.ok(port > 0 && port < 65536);
  await listen(port);
});

test('listenOnFreePort binds the server itself and holds the port (no find-then-bind gap)', async () => {
  const server = createServer();
  servers.push(server);
  const port = await listenOnFreePort(server, '127.0.0.1');
  assert.is(portOf(server), port);
  const error = await listen(port).then(() => 'bound twice', (e: NodeJS.ErrnoException) => e.code);
  assert.is(error, 'EADDRINUSE');
});

test('a port in a range is inside it', async () => {
  for (let i = 0; i < 20; i++) {
    const port = await findFreePort('127.0.0.1', [40000, 40100]);
    assert.ok(port >= 40000 && port <= 40100, String(port));
  }
});

/**
 * A listener on one port and the free port next to it, both below Linux's ephemeral range
 * (32768 and up): there no outgoing connection of this process or another can take the
 * free one meanwhile, as the neighbour of an OS-chosen port could be.
 */
async function heldPortAndNeighbour(): Promise<{ taken: number; other: number }> {
  for (let port = 20000 + 2 * Math.floor(Math.random() * 5000); port < 32766; port += 2) {
    const held = await listen(port).catch(() => undefined);
    if (!held) continue;
    const probe = await listen(port + 1).catch(() => undefined);
    if (probe) {
      await new Promise((resolve) => probe.close(resolve));
      return { taken: port, other: port + 1 };
    }
  }
  throw new Error('no free pair of ports below 32768');
}

test('busy ports in the range are skipped', async () => {
  const { taken, other } = await heldPortAndNeighbour();
  // A two-port range with one taken: the other must come back, every time.
  for (let i = 0; i < 10; i++) assert.is(await findFreePort('127.0.0.1', [taken, other]), other);
});

test('a range with every port taken is an error naming it', async () => {
  const taken = portOf(await listen(0));
  const error = await kilnRejection(findFreePort('127.0.0.1', [taken, taken]));
  assert.is(error.message, `no free port on 127.0.0.1: every port in ${taken}-${taken} is in use`);
  assert.ok(error.hint);
});

test('a reserved port stays taken until released, then can be bound', async () => {
  const reservation = await reservePort('127.0.0.1');
  const error: NodeJS.ErrnoException = await rejection(listen(reservation.port), 'someone else bound a reserved port');
  assert.is(error.code, 'EADDRINUSE', 'someone else bound a reserved port');
  // Nor is it found free meanwhile (a range of just that port has none free).
  await kilnRejection(findFreePort('127.0.0.1', [reservation.port, reservation.port]));
  await reservation.release();
  await reservation.release(); // twice is harmless
  await listen(reservation.port);
});

test('bad ranges and hosts are refused', async () => {
  assert.match((await kilnRejection(findFreePort('127.0.0.1', [2000, 1000]))).message, /not a port range/);
  assert.match((await kilnRejection(findFreePort('127.0.0.1', [0, 10]))).message, /not a port range/);
  assert.match((await kilnRejection(findFreePort('192.0.2.1'))).message, /cannot listen on 192\.0\.2\.1/);
});

test.after(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

test.run();
