import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeAttemptError } from '../../lib/ssh/attempt-error.js';

const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);

const cases: [string, unknown, string, RegExp][] = [
  ['ssh2 auth failure', err('All configured authentication methods failed', { level: 'client-authentication' }), 'auth', /authentication failed/],
  ['auth failure by message only', err('All configured authentication methods failed'), 'auth', /authentication failed/],
  ['refused', err('connect ECONNREFUSED 127.0.0.1:2222', { code: 'ECONNREFUSED', level: 'client-socket' }), 'refused', /connection refused/],
  ['reset', err('read ECONNRESET', { code: 'ECONNRESET', level: 'client-socket' }), 'reset', /connection reset/],
  ['closed before banner', err('Connection lost before handshake', { level: 'protocol' }), 'closed', /before the SSH banner/],
  ['no banner within the banner limit', err('no SSH banner within 4000 ms', { code: 'E_NO_BANNER' }), 'no-banner', /no SSH banner yet/],
  ['handshake timeout', err('Timed out while waiting for handshake', { level: 'client-timeout' }), 'timeout', /timed out/],
  ['unreachable', err('connect EHOSTUNREACH 10.0.0.1:22', { code: 'EHOSTUNREACH' }), 'network', /^EHOSTUNREACH: /],
  ['anything else', err('Unsupported algorithm'), 'other', /^Unsupported algorithm$/],
  ['not an Error', 'weird', 'other', /^weird$/],
];
for (const [name, error, kind, text] of cases) {
  test(`describeAttemptError: ${name}`, () => {
    const got = describeAttemptError(error);
    assert.is(got.kind, kind);
    assert.match(got.text, text);
  });
}

test.run();
