import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../../lib/builder/context.js';
import type { BuildEvent } from '../../lib/builder/events.js';
import { httpServer } from '../../lib/builder/steps/http-server.js';
import { attemptEvent } from '../../lib/builder/ssh-connect.js';
import { memoryLog } from '../../lib/log/log.js';
import { waitForSsh } from '../../lib/ssh/wait-for-ssh.js';
import { startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';

test('the http-server step emits an http-request event for each request (from onRequest, rejected ones too), with client, user agent and time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-http-events-'));
  const events: BuildEvent[] = [];
  const step = httpServer({ content: { '/ks.cfg': 'text\n' }, named: new Set() });
  const ctx = {
    options: {},
    template: { name: 't' },
    outputDir: dir,
    log: memoryLog(),
    emit: (e: BuildEvent) => events.push(e),
  } as unknown as BuildContext;
  try {
    await step.run(ctx, new AbortController().signal);
    const url = `http://127.0.0.1:${ctx.http!.port}`;
    await (await fetch(`${url}/ks.cfg`, { headers: { 'user-agent': 'Wget' } })).text();
    await ctx.http!.waitForRequest('/ks.cfg', { timeoutMs: 2000 });
    await (await fetch(`${url}/nope`, { headers: { 'user-agent': 'curl' } })).text();
    // One Node's parser rejects: it never reaches a handler, and is an event all the same.
    const { connect } = await import('node:net');
    const socket = connect(ctx.http!.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.end('GET /bad HTTP/1.1\r\nBad Header: x\r\n\r\n');
    for (let i = 0; i < 200 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    for (const e of events) assert.ok(e.type === 'http-request' && Number.isInteger(e.ms) && e.ms >= 0);
    assert.equal(events.map((e) => ({ ...e, ms: 0 })), [
      { type: 'http-request', method: 'GET', path: '/ks.cfg', status: 200, bytes: 5, remote: '127.0.0.1', ms: 0, user_agent: 'Wget' },
      { type: 'http-request', method: 'GET', path: '/nope', status: 404, bytes: 10, remote: '127.0.0.1', ms: 0, user_agent: 'curl' },
      { type: 'http-request', method: 'GET', path: '/bad', status: 400, bytes: 0, remote: '127.0.0.1', ms: 0, rejected: 'HPE_INVALID_HEADER_TOKEN' },
    ]);
  } finally {
    await step.cleanup?.(ctx, { failed: false, cancelled: false, keepFiles: false });
    await rm(dir, { recursive: true, force: true });
  }
});

test('attemptEvent turns each of waitForSsh\'s attempts into an ssh-attempt event (real waitForSsh, port refusing at first)', async () => {
  const server = await startFakeSshServer({ password: 'x', upAfterMs: 300, beforeUp: 'refuse' });
  const events: BuildEvent[] = [];
  try {
    const session = await waitForSsh({
      host: server.host,
      port: server.port,
      username: server.username,
      password: 'x',
      timeoutMs: 5000,
      retryIntervalMs: 100,
      log: memoryLog(),
      onAttempt: (attempt) => events.push(attemptEvent(attempt)),
    });
    await session.close();
  } finally {
    await server.close();
  }
  assert.ok(events.length >= 2, `${events.length} events`);
  assert.equal(events[0], { type: 'ssh-attempt', attempt: 1, ok: false, error: 'connection refused (nothing listening on the port yet)' });
  assert.equal(events.at(-1), { type: 'ssh-attempt', attempt: events.length, ok: true });
});

test.run();
