import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../../lib/errors.js';
import { QmpClient, QmpCommandError, type QmpEvent } from '../../../lib/hypervisor/qemu/qmp-client.js';
import { rejection } from '../../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-qmp-'));
const servers: Server[] = [];
const peers: Socket[] = [];
const processes: ResultPromise[] = [];
let n = 0;
const socketPath = () => join(dir, `s${n++}.sock`);

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": []}}\r\n';

type Request = { execute: string; id?: string; arguments?: unknown };

/** A QMP server that greets, accepts qmp_capabilities, and hands other requests to `onRequest`. */
async function fakeQmp(onRequest: (request: Request, socket: Socket) => void, greeting = GREETING): Promise<string> {
  const path = socketPath();
  const server = createServer((socket) => {
    peers.push(socket);
    socket.write(greeting);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const request = JSON.parse(buffer.slice(0, i)) as Request;
        buffer = buffer.slice(i + 1);
        if (request.execute === 'qmp_capabilities') socket.write(`{"return": {}, "id": "${request.id}"}\r\n`);
        else onRequest(request, socket);
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}


test('real QEMU: connects before the socket exists, runs commands, reports errors and events', async () => {
  const path = socketPath();
  const connecting = QmpClient.connect(path, { timeoutMs: 20_000 });
  await new Promise((r) => setTimeout(r, 300)); // the client is retrying by now
  const qemu = execa('qemu-system-x86_64', ['-M', 'none', '-display', 'none', '-nodefaults', '-qmp', `unix:${path},server=on,wait=off`], { reject: false });
  processes.push(qemu);
  const qmp = await connecting;
  try {
    assert.is(qmp.greeting?.version.qemu.major !== undefined, true);
    const status = await qmp.execute<{ status: string }>('query-status');
    assert.is(status.status, 'running');

    const error = await rejection(qmp.execute('no-such-command'));
    assert.instance(error, QmpCommandError);
    assert.is((error as QmpCommandError).errorClass, 'CommandNotFound');
    assert.is((error as QmpCommandError).code, 'E_QMP');

    const stopped = qmp.waitForEvent('STOP', { timeoutMs: 5_000 });
    await qmp.execute('stop');
    assert.is((await stopped).event, 'STOP');
    const resumed = qmp.waitForEvent(['RESUME'], { timeoutMs: 5_000 });
    await qmp.execute('cont');
    assert.is((await resumed).event, 'RESUME');

    const closed = new Promise<void>((resolve) => qmp.once('close', resolve));
    await qmp.execute('quit').catch(() => {}); // QEMU may hang up before replying
    await closed;
    assert.ok(qmp.closed);
    assert.is((await rejection(qmp.execute('query-status'))).message.includes('closed'), true);
    assert.is((await qemu).exitCode, 0);
  } finally {
    qmp.close();
    qemu.kill('SIGKILL');
  }
});

test('replies find their command by id, with events in between', async () => {
  const held: Request[] = [];
  const path = await fakeQmp((request, socket) => {
    held.push(request);
    if (held.length < 2) return;
    // Answer the second first, with an event between the two replies.
    socket.write(`{"return": "second", "id": "${held[1]!.id}"}\r\n{"event": "RESET", "data": {"guest": true}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n`);
    socket.write(`{"return": "first", "id": "${held[0]!.id}"}\r\n`);
  });
  const qmp = await QmpClient.connect(path);
  const events: QmpEvent[] = [];
  qmp.on('event', (e) => events.push(e));
  const [a, b] = await Promise.all([qmp.execute('one'), qmp.execute('two', { x: 1 })]);
  assert.is(a, 'first');
  assert.is(b, 'second');
  assert.equal(events, [{ event: 'RESET', data: { guest: true }, timestamp: { seconds: 1, microseconds: 2 } }]);
  assert.equal(held[1]!.arguments, { x: 1 });
  qmp.close();
});

test('messages split across chunks anywhere are reassembled', async () => {
  const greeting = GREETING;
  const path = await fakeQmp((request, socket) => {
    const reply = `{"return": {"ok": true}, "id": "${request.id}"}\r\n`;
    // One character at a time, each in its own write, in order.
    const chars = [...reply];
    const next = () => chars.length && (socket.write(chars.shift()!), setTimeout(next, 1));
    next();
  }, greeting);
  const qmp = await QmpClient.connect(path);
  assert.equal(await qmp.execute('split'), { ok: true });
  qmp.close();
});

test('a reply without an id answers the oldest pending command', async () => {
  const path = await fakeQmp((_request, socket) => socket.write('{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n'));
  const qmp = await QmpClient.connect(path);
  const error = await rejection(qmp.execute('garbled'));
  assert.instance(error, QmpCommandError);
  assert.match(error.message, /garbled failed: JSON parse error \(GenericError\)/);
  qmp.close();
});

test('the socket closing rejects every pending command and says which', async () => {
  const path = await fakeQmp((_request, socket) => setTimeout(() => socket.destroy(), 20));
  const qmp = await QmpClient.connect(path);
  const closed = new Promise<void>((resolve) => qmp.once('close', resolve));
  const errors = await Promise.all([rejection(qmp.execute('first')), rejection(qmp.execute('second'))]);
  await closed;
  assert.is((errors[0] as KilnError).code, 'E_QMP');
  assert.match(errors[0]!.message, /closed while waiting for first/);
  assert.match(errors[1]!.message, /second/);
  assert.match((errors[0] as KilnError).hint ?? '', /QEMU has probably exited/);
  assert.match((await rejection(qmp.waitForEvent('SHUTDOWN'))).message, /closed/);
});

test('a line that is not JSON ends the connection with a protocol error', async () => {
  const path = await fakeQmp((_request, socket) => socket.write('this is not json\r\n'));
  const qmp = await QmpClient.connect(path);
  const error = await rejection(qmp.execute('anything'));
  assert.match(error.message, /not JSON: this is not json/);
  assert.ok(qmp.closed);
});

test('an aborted command rejects at once and its late reply is ignored', async () => {
  const path = await fakeQmp((request, socket) => {
    const delay = request.execute === 'slow' ? 100 : 0;
    setTimeout(() => socket.write(`{"return": "${request.execute}", "id": "${request.id}"}\r\n`), delay);
  });
  const qmp = await QmpClient.connect(path);
  const controller = new AbortController();
  const slow = qmp.execute('slow', undefined, { signal: controller.signal });
  controller.abort();
  assert.instance(await rejection(slow), CancelledError);
  await new Promise((r) => setTimeout(r, 150));
  assert.is(await qmp.execute('fast'), 'fast');
  qmp.close();
});

test('waitForEvent times out with E_QMP and honours abort', async () => {
  const path = await fakeQmp(() => {});
  const qmp = await QmpClient.connect(path);
  const timedOut = await rejection(qmp.waitForEvent('SHUTDOWN', { timeoutMs: 50 }));
  assert.match(timedOut.message, /no SHUTDOWN event from QEMU within 50 ms/);
  const controller = new AbortController();
  const waiting = qmp.waitForEvent('SHUTDOWN', { signal: controller.signal });
  controller.abort();
  assert.instance(await rejection(waiting), CancelledError);
  assert.is(qmp.listenerCount('event'), 0, 'listeners are removed');
  qmp.close();
});

test('connect gives up after its timeout when nothing listens', async () => {
  const started = Date.now();
  const error = await rejection(QmpClient.connect(join(dir, 'never.sock'), { timeoutMs: 300 }));
  assert.is((error as KilnError).code, 'E_QMP');
  assert.match(error.message, /nothing listened on .*never\.sock within 300 ms \(ENOENT\)/);
  assert.ok(Date.now() - started < 2_000);
});

test('connect stops retrying when aborted', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const error = await rejection(QmpClient.connect(join(dir, 'never.sock'), { signal: controller.signal, timeoutMs: 10_000 }));
  assert.instance(error, CancelledError);
});

test('a server that never greets fails within the timeout', async () => {
  const path = await fakeQmp(() => {}, '');
  const error = await rejection(QmpClient.connect(path, { timeoutMs: 200 }));
  assert.match(error.message, /no QMP greeting within 200 ms/);
});

test.after(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const p of processes) p.kill('SIGKILL');
  for (const peer of peers) peer.destroy();
  for (const server of servers) server.close();
  await Promise.allSettled(processes);
});

test.run();
