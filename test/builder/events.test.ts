import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../../lib/builder/context.js';
import { maskEvent, type BuildEvent } from '../../lib/builder/events.js';
import { httpServer } from '../../lib/builder/steps/http-server.js';
import { attemptEvent } from '../../lib/builder/ssh-connect.js';
import { memoryLog } from '../../lib/pipeline/log.js';
import { waitForSsh } from '../../lib/ssh/wait-for-ssh.js';
import { startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';

test('maskEvent masks every string, nested ones included', () => {
  const event: BuildEvent = { type: 'wait', kind: 'serial', target: '"pw=hunter2"', ms: 5, detail: { match: 'pw=hunter2', n: 1 } };
  const masked = maskEvent(event, (t) => t.replaceAll('hunter2', '<sensitive>'));
  assert.equal(masked, { type: 'wait', kind: 'serial', target: '"pw=<sensitive>"', ms: 5, detail: { match: 'pw=<sensitive>', n: 1 } });
});

test('the http-server step emits an http-request event for each request (from onRequest, rejected ones too), with client, user agent and time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-http-events-'));
  const events: BuildEvent[] = [];
  const ctx = {
    template: { name: 't', http: { content: { '/ks.cfg': 'text\n' } } },
    outputDir: dir,
    log: memoryLog(),
    emit: (e: BuildEvent) => events.push(e),
  } as unknown as BuildContext;
  try {
    await httpServer.run(ctx, new AbortController().signal);
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
    await httpServer.cleanup?.(ctx, { failed: false, cancelled: false, keepFiles: false });
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
