import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { memoryLog, silentLog } from '../../lib/log/log.js';
import { generateKeyPair } from '../../lib/ssh/key-pair.js';
import { retryPauseMs, waitForSsh, type WaitForSshOptions } from '../../lib/ssh/wait-for-ssh.js';
import { type FakeSshServerOptions, type PortBehaviour, startFakeSshServer } from './helpers/fake-ssh-server.js';
import { kilnRejection } from '../helpers/rejection.js';

const withServer = async (options: FakeSshServerOptions, run: (s: Awaited<ReturnType<typeof startFakeSshServer>>) => Promise<void>) => {
  const server = await startFakeSshServer(options);
  try {
    await run(server);
  } finally {
    await server.close();
  }
};

const login = (server: { host: string; port: number; username: string }, extra: Partial<WaitForSshOptions> = {}): WaitForSshOptions => ({
  host: server.host,
  port: server.port,
  username: server.username,
  password: 'secret',
  timeoutMs: 5000,
  retryIntervalMs: 50,
  log: silentLog,
  ...extra,
});


test('logs in by password once the server is up', () =>
  withServer({ password: 'secret' }, async (server) => {
    const session = await waitForSsh(login(server));
    assert.is(session.target, `kiln@127.0.0.1:${server.port}`);
    assert.is(server.openConnections(), 1);
    await session.close();
    assert.ok(session.closed);
    await new Promise((r) => setTimeout(r, 100));
    assert.is(server.openConnections(), 0);
  }));

test('waits for a port forward that resets connections until sshd starts', () =>
  withServer({ password: 'secret', upAfterMs: 400, beforeUp: 'reset' }, async (server) => {
    const log = memoryLog();
    const started = Date.now();
    const session = await waitForSsh(login(server, { log }));
    assert.ok(Date.now() - started >= 350);
    const failures = log.lines.filter((l) => l.startsWith('debug: SSH attempt'));
    assert.ok(failures.length >= 2, `expected retries, got ${failures.length}`);
    assert.match(failures[0]!, /connection (reset|closed)/);
    assert.ok(log.lines.some((l) => /^info: SSH login as kiln@127\.0\.0\.1:\d+ succeeded after \d+ attempts/.test(l)));
    await session.close();
  }));

test('waits for a port that refuses connections at first', () =>
  withServer({ password: 'secret', upAfterMs: 300, beforeUp: 'refuse' }, async (server) => {
    const log = memoryLog();
    const session = await waitForSsh(login(server, { log }));
    assert.ok(log.lines.some((l) => l.includes('connection refused')));
    await session.close();
  }));

test('retries logins that sshd rejects before the user exists', () =>
  withServer({ password: 'secret', rejectFirstLogins: 2 }, async (server) => {
    const session = await waitForSsh(login(server));
    assert.ok(server.authLog.some((a) => a.startsWith('2:')));
    await session.close();
  }));

test('logs in with a private key', () => {
  const pair = generateKeyPair('test');
  return withServer({ publicKey: pair.publicKey }, async (server) => {
    const session = await waitForSsh(login(server, { password: undefined, privateKey: pair.privateKey }));
    assert.ok(server.authLog.includes('0:publickey'));
    await session.close();
  });
});

test('answers keyboard-interactive with the password', () =>
  withServer({ password: 'secret', keyboardInteractiveOnly: true }, async (server) => {
    const session = await waitForSsh(login(server));
    assert.ok(server.authLog.includes('0:keyboard-interactive'));
    await session.close();
  }));

test('a silent port ends each attempt at its banner limit, long before the attempt limit', () =>
  withServer({ password: 'secret' }, async (server) => {
    await server.become('silent');
    // What the port does after each attempt: silent once more, refusing, then sshd answers.
    const then: PortBehaviour[] = ['silent', 'refuse', 'up'];
    const seen: string[] = [];
    const session = await waitForSsh(
      login(server, {
        timeoutMs: 30_000,
        bannerTimeoutMs: 300,
        attemptTimeoutMs: 5000, // ample for an in-process login, even on a busy machine
        retryIntervalMs: 100,
        onAttempt: ({ attempt, limitMs, failure }) => {
          seen.push(`${failure?.kind ?? 'ok'} ${limitMs}`);
          if (then[attempt - 1]) void server.become(then[attempt - 1]!);
        },
      }),
    );
    await session.close();
    assert.equal(seen, ['no-banner 5000', 'no-banner 5000', 'refused 5000', 'ok 5000']);
  }));

test('retry pauses: the interval while nothing answers; after rejected logins 2x, 4x, ... up to the cap', () => {
  const table: [number, number, number, number][] = [
    // interval, rejected in a row, cap, pause
    [1000, 0, 5000, 1000],
    [1000, 1, 5000, 2000],
    [1000, 2, 5000, 4000],
    [1000, 3, 5000, 5000],
    [1000, 60, 5000, 5000],
    [50, 3, 5000, 400],
    [2000, 1, 1000, 2000], // never shorter than the interval
  ];
  for (const [interval, rejected, cap, pause] of table) assert.is(retryPauseMs(interval, rejected, cap), pause, `${interval} ${rejected} ${cap}`);
});

test('a guest whose sshd rejects logins for a while gets a bounded number of login attempts, then the login', () =>
  withServer({ password: 'secret', rejectFirstLogins: 4 }, async (server) => {
    const times: number[] = [];
    const begin = Date.now();
    const session = await waitForSsh(login(server, { retryIntervalMs: 100, maxAuthRetryMs: 400, onAttempt: () => void times.push(Date.now() - begin) }));
    await session.close();
    // 4 rejections, then success: pauses of at least 200, 400, 400, 400 ms between them.
    assert.is(times.length, 5);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.ok(gaps.every((gap, i) => gap >= [200, 400, 400, 400][i]! - 20), gaps.join(', '));
    // Each rejected attempt costs the guest a key exchange: with 1 s pauses the same 1.4 s would have made 8.
    assert.is(server.authLog.filter((entry) => entry.endsWith(':password')).length, 5);
  }));

test('while the guest boots (its port stalls, resets or refuses), attempts stay bounded and one login reaches sshd', async () => {
  // The schedule scaled down 10x or more: 100 ms between attempts, 200 ms for the banner.
  const schedule = { retryIntervalMs: 100, bannerTimeoutMs: 200, attemptTimeoutMs: 1600 };
  const upAfterMs = 1500;
  const cases: [FakeSshServerOptions['beforeUp'], number][] = [
    // A stalled port: one attempt per banner limit and pause, each a SYN the guest may not see.
    ['silent', upAfterMs / (schedule.bannerTimeoutMs + schedule.retryIntervalMs) + 2],
    // Resets and refusals cost the guest nothing in sshd: one attempt per interval, no more.
    ['reset', upAfterMs / schedule.retryIntervalMs + 2],
    ['refuse', upAfterMs / schedule.retryIntervalMs + 2],
  ];
  for (const [beforeUp, maxAttempts] of cases) {
    await withServer({ password: 'secret', upAfterMs, beforeUp }, async (server) => {
      let attempts = 0;
      const session = await waitForSsh(login(server, { ...schedule, onAttempt: () => void (attempts += 1) }));
      await session.close();
      assert.ok(attempts >= 2 && attempts <= maxAttempts, `${beforeUp}: ${attempts} attempts, at most ${maxAttempts}`);
      assert.is(new Set(server.authLog.map((entry) => entry.split(':')[0])).size, 1, `${beforeUp}: logins that reached sshd`);
    });
  }
});

test('while held (cloud-init at work), no attempt reaches the port; released, the next attempt logs in', () =>
  withServer({ password: 'secret' }, async (server) => {
    let asked = 0;
    let attempts = 0;
    const session = await waitForSsh(login(server, { holdWhile: () => ++asked <= 5, onAttempt: () => void (attempts += 1) }));
    await session.close();
    assert.is(asked, 6);
    assert.is(attempts, 1);
    assert.is(server.authLog.length, 1, 'logins that reached sshd');
  }));

test('held until the timeout: the error says no attempt was made, and the diagnostics say why', () =>
  withServer({ password: 'secret' }, async (server) => {
    const error = await kilnRejection(waitForSsh(login(server, { timeoutMs: 300, holdWhile: async () => true, diagnostics: () => 'kiln held its logins' })));
    assert.is(error.code, 'E_SSH_TIMEOUT');
    assert.match(error.message, /0 attempts, last error: none/);
    assert.match(error.message, /kiln held its logins/);
    assert.is(server.authLog.length, 0);
  }));

test('timeout error names host, port, user, methods, attempts, last error and diagnostics', () =>
  withServer({ password: 'secret', upAfterMs: 60_000, beforeUp: 'reset' }, async (server) => {
    const pair = generateKeyPair('t');
    const error = await kilnRejection(
      waitForSsh(login(server, { timeoutMs: 400, privateKey: pair.privateKey, diagnostics: () => 'serial: Installing base system' })),
    );
    assert.is(error.code, 'E_SSH_TIMEOUT');
    assert.match(error.message, `127.0.0.1:${server.port}`);
    assert.match(error.message, 'as kiln');
    assert.match(error.message, '(public key, password, keyboard-interactive)');
    assert.match(error.message, /\d+ attempts/);
    assert.match(error.message, /last error: connection (reset|closed)/);
    assert.match(error.message, /\n\nserial: Installing base system$/);
    assert.match(error.hint ?? '', 'boot command');
    assert.match(error.hint ?? '', 'SSH server');
  }));

test('a banner that never comes times out the attempt, then the wait', () =>
  withServer({ password: 'secret', upAfterMs: 60_000, beforeUp: 'silent' }, async (server) => {
    const error = await kilnRejection(waitForSsh(login(server, { timeoutMs: 600, attemptTimeoutMs: 200 })));
    assert.is(error.code, 'E_SSH_TIMEOUT');
    assert.match(error.message, 'last error: timed out waiting for the SSH banner');
  }));

test('a wrong password ends in "authentication failed" with a hint about credentials', () =>
  withServer({ password: 'secret' }, async (server) => {
    const error = await kilnRejection(waitForSsh(login(server, { password: 'wrong', timeoutMs: 300 })));
    assert.is(error.code, 'E_SSH_TIMEOUT');
    assert.match(error.message, 'last error: authentication failed');
    assert.match(error.hint ?? '', 'ssh.username');
    assert.not.match(error.message, 'wrong'); // the password itself never appears
  }));

test('diagnostics that throw do not hide the timeout', () =>
  withServer({ password: 'secret', upAfterMs: 60_000 }, async (server) => {
    const diagnostics = () => {
      throw new Error('serial log gone');
    };
    const error = await kilnRejection(waitForSsh(login(server, { timeoutMs: 200, diagnostics })));
    assert.is(error.code, 'E_SSH_TIMEOUT');
    assert.match(error.message, 'diagnostics unavailable: serial log gone');
  }));

test('abort while waiting rejects with CancelledError and leaves no connection open', () =>
  withServer({ password: 'secret', upAfterMs: 60_000, beforeUp: 'silent' }, async (server) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await kilnRejection(waitForSsh(login(server, { signal: controller.signal, attemptTimeoutMs: 10_000 })));
    assert.instance(error, CancelledError);
    assert.ok(Date.now() - started < 1000, 'abort must not wait for the attempt timeout');
    await new Promise((r) => setTimeout(r, 100));
    assert.is(server.openConnections(), 0);
  }));

test('an already aborted signal rejects at once', async () => {
  const controller = new AbortController();
  controller.abort();
  const error = await kilnRejection(waitForSsh(login({ host: '127.0.0.1', port: 9, username: 'x' }, { signal: controller.signal })));
  assert.instance(error, CancelledError);
});

test('no credentials is an immediate error, not a timeout', async () => {
  const error = await kilnRejection(waitForSsh(login({ host: '127.0.0.1', port: 9, username: 'x' }, { password: undefined })));
  assert.is(error.code, 'E_SSH');
  assert.match(error.hint ?? '', 'ssh.password');
});

test('an unparsable private key is an immediate error', async () => {
  const error = await kilnRejection(waitForSsh(login({ host: '127.0.0.1', port: 9, username: 'x' }, { password: undefined, privateKey: 'not a key' })));
  assert.is(error.code, 'E_SSH');
  assert.match(error.message, 'private key');
});

test.run();
