import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_QCODES, CHAR_KEYS, charKey, SPECIAL_KEYS, specialKey } from '../../lib/keyboard/qcodes.js';
import { PRINTABLE_ASCII } from './typed-text.js';

test('every printable ASCII character has a key, and nothing else does', () => {
  assert.is(CHAR_KEYS.size, 95);
  for (const ch of PRINTABLE_ASCII) assert.ok(charKey(ch), `no key for ${JSON.stringify(ch)}`);
  for (const ch of ['\n', '\t', '\x7f', 'é', '']) assert.is(charKey(ch), undefined);
});

test('each key types one plain and one shifted character (space aside)', () => {
  const byKey = new Map<string, string[]>();
  for (const [ch, key] of CHAR_KEYS) byKey.set(`${key.qcode}/${key.shift}`, [...(byKey.get(`${key.qcode}/${key.shift}`) ?? []), ch]);
  for (const [key, chars] of byKey) assert.is(chars.length, 1, `${key} types ${chars.join(' ')}`);
  assert.equal(charKey(' '), { qcode: 'spc', shift: false });
  assert.equal(charKey('~'), { qcode: 'grave_accent', shift: true });
  assert.equal(charKey('"'), { qcode: 'apostrophe', shift: true });
  assert.equal(charKey('|'), { qcode: 'backslash', shift: true });
});

test('special names are case-insensitive', () => {
  assert.is(specialKey('PageUp'), 'pgup');
  assert.is(specialKey('PAGEDOWN'), 'pgdn');
  assert.is(specialKey('leftsuper'), 'meta_l');
  assert.is(specialKey('nope'), undefined);
  assert.is(Object.keys(SPECIAL_KEYS).length, 37);
});

test('ALL_QCODES lists each qcode once, 83 in all', () => {
  assert.is(new Set(ALL_QCODES).size, ALL_QCODES.length);
  // 26 letters, 10 digits, 11 punctuation keys, space, 15 more editing/navigation
  // keys (<enter> and <return> share ret, <spacebar> is space), 12 function keys, 8 modifiers.
  assert.is(ALL_QCODES.length, 26 + 10 + 11 + 1 + 15 + 12 + 8);
});

/** Sends QMP commands one at a time and resolves each with its reply. */
function qmpSession(socket: Socket) {
  let buffer = '';
  const waiting: ((reply: Record<string, unknown>) => void)[] = [];
  const replies: Record<string, unknown>[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      if ('event' in message) continue;
      const resolve = waiting.shift();
      if (resolve) resolve(message);
      else replies.push(message);
    }
  });
  const next = () => new Promise<Record<string, unknown>>((resolve) => (replies.length ? resolve(replies.shift()!) : waiting.push(resolve)));
  return {
    next,
    execute(command: string, args?: unknown) {
      socket.write(JSON.stringify({ execute: command, arguments: args }) + '\n');
      return next();
    },
  };
}

async function connectWhenReady(path: string, deadline: number): Promise<Socket> {
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(path, () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const hasQemu = spawnSync('qemu-system-x86_64', ['--version']).status === 0;

// Without QEMU the check cannot run: uvu counts it as skipped, and test/run.js says so.
(hasQemu ? test : test.skip)('QEMU accepts every qcode kiln sends (input-send-event) [needs qemu-system-x86_64]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-qcodes-'));
  const sock = join(dir, 'qmp.sock');
  // No machine, no display, no accelerator: QEMU only validates the QMP arguments.
  const qemu = spawn('qemu-system-x86_64', ['-M', 'none', '-display', 'none', '-nodefaults', '-qmp', `unix:${sock},server=on,wait=off`], {
    stdio: 'ignore',
  });
  let socket: Socket | undefined;
  try {
    socket = await connectWhenReady(sock, Date.now() + 10_000);
    const qmp = qmpSession(socket);
    assert.ok('QMP' in (await qmp.next()), 'QMP greeting');
    assert.equal(await qmp.execute('qmp_capabilities'), { return: {} });
    const send = (qcode: string) =>
      qmp.execute('input-send-event', { events: [{ type: 'key', data: { down: true, key: { type: 'qcode', data: qcode } } }] });
    // Control: an unknown name is refused by the schema, so the check below can fail.
    assert.match(JSON.stringify(await send('no_such_key')), /does not accept value/);
    for (const qcode of ALL_QCODES) {
      const reply = JSON.stringify(await send(qcode));
      // Valid names pass the schema and then fail only for want of a keyboard on -M none.
      assert.not.match(reply, /does not accept value/, `QEMU rejects qcode "${qcode}": ${reply}`);
      assert.match(reply, /"return"|Input handler not found/, `unexpected reply for "${qcode}": ${reply}`);
    }
  } finally {
    socket?.destroy();
    qemu.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
