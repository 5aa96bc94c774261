import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attachSerialConsole } from '../../lib/console/serial-attach.js';
import { bridgeTerminal, type Peer } from '../../lib/console/terminal-bridge.js';
import { CancelledError } from '../../lib/errors.js';
import { fakeSerial, fakeTerminal } from './fake-terminal.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

function fakePeer() {
  const written: string[] = [];
  const dataListeners = new Set<(d: string) => void>();
  const endListeners = new Set<() => void>();
  const peer: Peer & { written: string[]; closed: boolean; sizes: string[]; say(text: string): void; end(): void } = {
    written,
    closed: false,
    sizes: [],
    write: (d) => void written.push(d.toString()),
    onData: (l) => (dataListeners.add(l), () => dataListeners.delete(l)),
    onEnd: (l) => (endListeners.add(l), () => endListeners.delete(l)),
    close: () => void (peer.closed = true),
    resize: (c, r) => void peer.sizes.push(`${c}x${r}`),
    say: (text) => dataListeners.forEach((l) => l(text)),
    end: () => endListeners.forEach((l) => l()),
  };
  return peer;
}

test('relays both ways in raw mode; Ctrl-] detaches, passing on what came before it', async () => {
  const term = fakeTerminal();
  const peer = fakePeer();
  const done = bridgeTerminal(term, peer);
  assert.is(term.input.isRaw, true);
  peer.say('login: ');
  term.input.write('root\r\x03');
  await delay(10);
  term.output.columns = 120;
  term.output.emit('resize');
  term.input.write('ls\x1dnot sent');
  assert.is(await done, 'detached');
  assert.is(term.text(), 'login: ');
  assert.equal(peer.written, ['root\r\x03', 'ls']);
  assert.equal(peer.sizes, ['120x30']);
  assert.is(peer.closed, true);
  assert.is(term.input.isRaw, false);
  peer.say('after detach');
  assert.is(term.text(), 'login: ');
});

test('ends when the session ends; a cancel restores the terminal too', async () => {
  const term = fakeTerminal();
  const peer = fakePeer();
  const done = bridgeTerminal(term, peer);
  peer.end();
  assert.is(await done, 'ended');
  assert.equal(term.input.modes, [true, false]);

  const controller = new AbortController();
  const again = bridgeTerminal(term, fakePeer(), controller.signal);
  controller.abort();
  assert.instance(await rejection(again), CancelledError);
  assert.is(term.input.isRaw, false);
});

test('without a terminal (a pipe) nothing goes raw and end of input detaches', async () => {
  const term = fakeTerminal(false);
  const peer = fakePeer();
  const done = bridgeTerminal(term, peer);
  term.input.end('echo hi\n');
  assert.is(await done, 'detached');
  assert.equal(term.input.modes, []);
  assert.equal(peer.written, ['echo hi\n']);
});

test('attachSerialConsole talks to a UNIX socket like QEMU serial chardev', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-serial-'));
  const path = join(dir, 'serial.sock');
  const serial = await fakeSerial(path, 'boot: ');
  try {
    const term = fakeTerminal();
    const done = attachSerialConsole(path, term);
    await term.waitFor(/boot: $/);
    term.input.write('install\r');
    while (!serial.received().includes('install\r')) await delay(5);
    term.input.write('\x1d');
    assert.is(await done, 'detached');

    // The VM stopping ends the session.
    const term2 = fakeTerminal();
    const done2 = attachSerialConsole(path, term2);
    await term2.waitFor(/boot: $/);
    serial.clients.at(-1)!.destroy();
    assert.is(await done2, 'ended');
  } finally {
    serial.server.close();
    await rm(dir, { recursive: true, force: true });
  }
  assert.match((await kilnRejection(attachSerialConsole(path, fakeTerminal()))).hint ?? '', /serial\.log/);
});

test.run();
