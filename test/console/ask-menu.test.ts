import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { askOnFailure, menuChoices, parseChoice } from '../../lib/console/ask-menu.js';
import type { GuestAccess } from '../../lib/console/guest-shell.js';
import { CancelledError } from '../../lib/errors.js';
import { findFreePort } from '../../lib/util/free-port.js';
import { fakeSerial, fakeTerminal } from './fake-terminal.js';
import { rejection } from '../helpers/rejection.js';

test('menuChoices offers sessions only while the VM runs', () => {
  assert.equal(menuChoices('wait-ssh', true).map((c) => c.key), ['s', 'c', 'r', 'k', 'a']);
  assert.equal(menuChoices('wait-ssh', false).map((c) => c.key), ['r', 'k', 'a']);
  assert.match(menuChoices('provision', true)[2]!.label, /retry step provision/);
});

test('parseChoice takes the key, the first word or the action; empty means clean up', () => {
  const choices = menuChoices('provision', true);
  const table: [string, string | undefined][] = [
    ['s', 'shell'],
    [' R ', 'retry'],
    ['retry', 'retry'],
    ['clean', 'cleanup'],
    ['', 'cleanup'],
    ['abort', 'keep-files'],
    ['attach', 'console'],
    ['x', undefined],
  ];
  for (const [answer, want] of table) assert.is(parseChoice(answer, choices)?.action, want, JSON.stringify(answer));
});

function guest(overrides: Partial<GuestAccess> = {}): GuestAccess {
  return { name: 'demo', running: async () => true, serialSocket: async () => undefined, scratchDir: tmpdir(), ...overrides };
}

test('askOnFailure shows the error, re-asks on a wrong answer, and returns the decision', async () => {
  const term = fakeTerminal();
  const decision = askOnFailure({ step: 'provision', errorText: 'kiln: error: exit 3 [E_PROVISION]', guest: guest() }, term);
  await term.waitFor(/choice \[s\/c\/r\/k\/a\]: $/);
  term.input.write('nope\n');
  await term.waitFor(/"nope" is not one of the choices[\s\S]*choice/);
  term.input.write('r\n');
  assert.is(await decision, 'retry');
  assert.match(term.text(), /kiln: error: exit 3 \[E_PROVISION\]/);
  assert.match(term.text(), /the VM is still running/);
});

test('askOnFailure: end of input cleans up; a stopped VM gets no session choices; Ctrl-C cancels', async () => {
  const term = fakeTerminal(false);
  term.input.end('');
  assert.is(await askOnFailure({ step: 'x', errorText: 'e', guest: guest() }, term), 'cleanup');

  const stopped = fakeTerminal();
  const decision = askOnFailure({ step: 'x', errorText: 'e', guest: guest({ running: async () => false }) }, stopped);
  await stopped.waitFor(/choice \[r\/k\/a\]: $/);
  stopped.input.write('a\n');
  assert.is(await decision, 'keep-files');

  const controller = new AbortController();
  const asked = askOnFailure({ step: 'x', errorText: 'e', guest: guest() }, fakeTerminal(), controller.signal);
  setTimeout(() => controller.abort(), 20);
  assert.instance(await rejection(asked), CancelledError);
});

test('"shell" falls back to the serial console when SSH does not answer, then the menu returns', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-ask-'));
  const path = join(dir, 'serial.sock');
  const serial = await fakeSerial(path, 'kiln login: ');
  try {
    const term = fakeTerminal();
    const closedPort = await findFreePort('127.0.0.1');
    const access = guest({ serialSocket: async () => path, ssh: { host: '127.0.0.1', port: closedPort, username: 'kiln', password: 'pw' } });
    const decision = askOnFailure({ step: 'wait-ssh', errorText: 'timeout', guest: access }, term);
    await term.waitFor(/choice .*: $/);
    term.input.write('s\n');
    await term.waitFor(/SSH does not answer \(connection refused[\s\S]*kiln login: $/);
    term.input.write('root\r');
    term.input.write('\x1d');
    await term.waitFor(/detached from demo[\s\S]*choice .*: $/);
    assert.is(serial.received(), 'root\r');
    term.input.write('k\n');
    assert.is(await decision, 'cleanup');
  } finally {
    serial.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
