// Port choice and binding: retries past taken ports, a clear error when none is free,
// and reachable on 127.0.0.1 only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { memoryLog } from '../../lib/log/log.js';
import { startHttpServer } from '../../lib/http/server.js';
import { kilnRejection } from '../helpers/rejection.js';

/** Holds `count` consecutive ports starting somewhere in 20000-60000, and returns the first. */
async function holdPorts(count: number): Promise<{ first: number; release(): Promise<void> }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20000 + Math.floor(Math.random() * 40000);
    const held: Server[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const blocker = createServer();
        await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(first + i, '127.0.0.1', resolve));
        held.push(blocker);
      }
      const release = () => Promise.all(held.map((b) => new Promise((r) => b.close(r)))).then(() => undefined);
      return { first, release };
    } catch {
      await Promise.all(held.map((b) => new Promise((r) => b.close(r))));
    }
  }
  throw new Error('could not find free ports to hold');
}

test('skips taken ports in the range', async () => {
  const { first, release } = await holdPorts(3);
  try {
    for (let round = 0; round < 5; round++) {
      // first..first+2 are held; first+3 must be chosen whichever port is tried first.
      const s = await startHttpServer({ content: {}, portRange: [first, first + 3], log: memoryLog() });
      assert.is(s.port, first + 3);
      await s.close();
    }
  } finally {
    await release();
  }
});

test('no free port: E_HTTP naming the range', async () => {
  const { first, release } = await holdPorts(2);
  try {
    const error = await kilnRejection(startHttpServer({ content: {}, portRange: [first, first + 1], log: memoryLog() }));
    assert.is(error.code, 'E_HTTP');
    assert.is(error.message, `no free port on 127.0.0.1: every port in ${first}-${first + 1} is in use`);
    assert.ok(error.hint);
  } finally {
    await release();
  }
});

test('invalid range is rejected', async () => {
  const error = await kilnRejection(startHttpServer({ content: {}, portRange: [9000, 8000], log: memoryLog() }));
  assert.is(error.code, 'E_HTTP');
  assert.match(error.message, '9000-8000 is not a port range');
});

const refused = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });

test('listens on 127.0.0.1 only', async () => {
  const s = await startHttpServer({ content: { '/a': 'a' }, log: memoryLog() });
  try {
    assert.is(await refused('127.0.0.1', s.port), 'connected');
    // Linux routes all of 127/8 to lo, so 127.0.0.2 reaches every socket not bound to 127.0.0.1.
    if (process.platform === 'linux') assert.is(await refused('127.0.0.2', s.port), 'ECONNREFUSED');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) assert.is(await refused(external.address, s.port), 'ECONNREFUSED');
  } finally {
    await s.close();
  }
});

test('an aborted signal cancels startup', async () => {
  const controller = new AbortController();
  controller.abort();
  assert.is((await kilnRejection(startHttpServer({ content: {}, log: memoryLog(), signal: controller.signal }))).code, 'E_CANCELLED');
});

test.run();
