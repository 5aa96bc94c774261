import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectionLost, describeEnd, failureHint, type FailureContext, provisionFailure } from '../../lib/provision/failure.js';
import type { ExecResult } from '../../lib/ssh/exec.js';

const result = (over: Partial<ExecResult>): ExecResult => ({
  exitCode: 1,
  disconnected: false,
  stdoutTail: [],
  stderrTail: [],
  ...over,
});
const context: FailureContext = { label: 'provision[1] shell', script: 'scripts/setup.sh', sudo: false, sudoPassword: false };

const ends: [Partial<ExecResult>, string][] = [
  [{ exitCode: 3 }, 'exited with code 3'],
  [{ exitCode: null, signal: 'SIGKILL' }, 'was killed by SIGKILL'],
  [{ exitCode: null }, 'ended without an exit status'],
];
for (const [over, want] of ends) {
  test(`describeEnd: ${want}`, () => assert.is(describeEnd(result(over)), want));
}

test('the message names label, script and exit code, and quotes the stderr tail', () => {
  const stderrTail = Array.from({ length: 30 }, (_, i) => `err ${i}`);
  const error = provisionFailure(context, result({ exitCode: 2, stderrTail, stdoutTail: ['out'] }));
  assert.is(error.code, 'E_PROVISION');
  const lines = error.message.split('\n');
  assert.is(lines[0], 'provision[1] shell: scripts/setup.sh exited with code 2');
  assert.is(lines[1], 'last stderr lines:');
  assert.equal(lines.slice(2), stderrTail.slice(10).map((l) => `  ${l}`));
});

test('stdout is quoted when stderr is empty', () => {
  const error = provisionFailure(context, result({ stdoutTail: ['E: Unable to locate package foo'] }));
  assert.match(error.message, '\nlast output lines:\n  E: Unable to locate package foo');
});

test('no output: just the first line', () => {
  assert.is(provisionFailure(context, result({})).message, 'provision[1] shell: scripts/setup.sh exited with code 1');
});

const hints: [string, Partial<FailureContext>, Partial<ExecResult>, string][] = [
  ['sudo wants a password', { sudo: true }, { stderrTail: ['sudo: a password is required'] }, 'set ssh.password'],
  ['sudo wants a terminal', { sudo: true }, { stderrTail: ['sudo: a terminal is required to read the password'] }, 'set ssh.password'],
  ['sudo wrong password', { sudo: true, sudoPassword: true }, { stderrTail: ['sudo: 1 incorrect password attempt'] }, 'rejected the password'],
  ['noexec /tmp', {}, { exitCode: 126 }, 'noexec'],
  ['command not found', {}, { exitCode: 127 }, 'not found'],
  ['anything else', {}, { exitCode: 1 }, 'build.log'],
];
for (const [name, ctx, over, want] of hints) {
  test(`failureHint: ${name}`, () => assert.match(failureHint({ ...context, ...ctx }, result(over)), want));
}

test('connectionLost points at expect_disconnect', () => {
  const error = connectionLost(context);
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, 'provision[1] shell: connection lost while scripts/setup.sh was running');
  assert.match(error.hint ?? '', 'expect_disconnect: true');
});

test.run();
