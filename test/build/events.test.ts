import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskEvent, withHttpEvents, type BuildEvent } from '../../lib/build/events.js';
import { attemptEvents } from '../../lib/build/ssh-connect.js';
import { formatLogMessage, type RequestRecord } from '../../lib/http/request-log.js';
import { memoryLog } from '../../lib/pipeline/log.js';
import { waitForSsh } from '../../lib/ssh/wait-for-ssh.js';
import { findFreePort } from '../../lib/util/free-port.js';

test('maskEvent masks every string, nested ones included', () => {
  const event: BuildEvent = { type: 'wait', kind: 'serial', target: '"pw=hunter2"', ms: 5, detail: { match: 'pw=hunter2', n: 1 } };
  const masked = maskEvent(event, (t) => t.replaceAll('hunter2', '<sensitive>'));
  assert.equal(masked, { type: 'wait', kind: 'serial', target: '"pw=<sensitive>"', ms: 5, detail: { match: 'pw=<sensitive>', n: 1 } });
});

test("withHttpEvents turns the server's request lines into http-request events with the record's details", () => {
  const records: RequestRecord[] = [
    { time: 't', method: 'GET', path: '/ks.cfg', status: 200, bytes: 312, remote: '127.0.0.1', userAgent: 'Wget' },
    { time: 't', method: 'GET', path: '/nope', status: 404, bytes: 9, remote: '127.0.0.1' },
  ];
  const events: BuildEvent[] = [];
  const log = memoryLog();
  const wrapped = withHttpEvents(log, () => records, (e) => events.push(e));
  wrapped.info(formatLogMessage(records[0]!));
  wrapped.warn(formatLogMessage(records[1]!));
  wrapped.info('serving http://127.0.0.1:8000/');
  assert.equal(events, [
    { type: 'http-request', method: 'GET', path: '/ks.cfg', status: 200, bytes: 312, remote: '127.0.0.1', user_agent: 'Wget' },
    { type: 'http-request', method: 'GET', path: '/nope', status: 404, bytes: 9, remote: '127.0.0.1', user_agent: undefined },
  ]);
  assert.is(log.lines.length, 3); // everything still logged
});

test("attemptEvents turns waitForSsh's attempt lines into ssh-attempt events (real waitForSsh, nothing listening)", async () => {
  const port = await findFreePort('127.0.0.1');
  const events: BuildEvent[] = [];
  const log = memoryLog();
  const error = await waitForSsh({
    host: '127.0.0.1',
    port,
    username: 'kiln',
    password: 'x',
    timeoutMs: 1200,
    retryIntervalMs: 300,
    log: attemptEvents(log, (e) => events.push(e)),
  }).catch((e: unknown) => e);
  assert.match((error as Error).message, /no SSH login/);
  assert.ok(events.length >= 2, `${events.length} events`);
  assert.equal(events[0], { type: 'ssh-attempt', attempt: 1, ok: false, error: 'connection refused (nothing listening on the port yet)' });
  assert.ok(log.lines.some((l) => l.startsWith('debug: SSH attempt 1')));

  const ok: BuildEvent[] = [];
  attemptEvents(memoryLog(), (e) => ok.push(e)).info('SSH login as kiln@127.0.0.1:2222 succeeded after 3 attempts (12s)');
  assert.equal(ok, [{ type: 'ssh-attempt', attempt: 3, ok: true }]);
});

test.run();
