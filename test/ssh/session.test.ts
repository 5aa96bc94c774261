import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import type { SshSession } from '../../lib/ssh/session.js';
import { DROP_MARKER, type FakeSshServer, startFakeSshServer } from './helpers/fake-ssh-server.js';
import { openSession } from './helpers/open-session.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

let server: FakeSshServer;
let session: SshSession;
let local: string;

test.before.each(async () => {
  server = await startFakeSshServer({ password: 'secret' });
  session = await openSession(server);
  local = mkdtempSync(join(tmpdir(), 'kiln-session-test-'));
});

test.after.each(async () => {
  await session.close();
  await server.close();
  rmSync(local, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o7777;

test('exec reports exit codes', async () => {
  assert.is((await session.exec('true')).exitCode, 0);
  const failed = await session.exec('exit 7');
  assert.is(failed.exitCode, 7);
  assert.is(failed.disconnected, false);
});

test('exec reports a signal', async () => {
  const result = await session.exec('kill -TERM $$');
  assert.is(result.exitCode, null);
  assert.is(result.signal, 'SIGTERM');
  assert.is(result.disconnected, false);
});

test('exec streams stdout and stderr line by line and keeps tails', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const result = await session.exec('printf "one\\ntwo\\n"; echo oops >&2; printf "no newline"', {
    onStdout: (l) => out.push(l),
    onStderr: (l) => err.push(l),
  });
  assert.equal(out, ['one', 'two', 'no newline']);
  assert.equal(err, ['oops']);
  assert.equal(result.stdoutTail, ['one', 'two', 'no newline']);
  assert.equal(result.stderrTail, ['oops']);
});

test('exec keeps only the last lines in the tail', async () => {
  const result = await session.exec('i=0; while [ $i -lt 120 ]; do echo line$i; i=$((i+1)); done');
  assert.is(result.stdoutTail.length, 50);
  assert.is(result.stdoutTail.at(-1), 'line119');
});

test('exec exports env values with spaces, quotes and $ intact, in the command itself', async () => {
  const env = { A: '1', B: 'x y', C: `it's "quoted" $HOME \`id\``, D: '' };
  const result = await session.exec(`printf '%s|' "$A" "$B" "$C" "$D"`, { env });
  assert.equal(result.stdoutTail, [`1|x y|it's "quoted" $HOME \`id\`||`]);
  assert.is(server.execs.at(-1)!.command, `export A='1' B='x y' C='it'\\''s "quoted" $HOME \`id\`' D=''; printf '%s|' "$A" "$B" "$C" "$D"`);
});

test('exec rejects an invalid env name before running anything', async () => {
  assert.is((await kilnRejection(session.exec('true', { env: { 'NOT OK': '1' } }))).code, 'E_SSH');
  assert.is(server.execs.length, 0);
});

test('exec writes stdin and closes it; without stdin the command sees EOF', async () => {
  const withInput = await session.exec('cat', { stdin: 'hello\nworld\n' });
  assert.equal(withInput.stdoutTail, ['hello', 'world']);
  const without = await session.exec('cat; echo done');
  assert.equal(without.stdoutTail, ['done']);
});

test('exec reports a dropped connection as disconnected, and the session as closed', async () => {
  let closedWith: unknown = 'not called';
  session.onClose((error) => (closedWith = error));
  const result = await session.exec(`echo before; echo ${DROP_MARKER}; sleep 5; echo after`);
  assert.is(result.disconnected, true);
  assert.is(result.exitCode, null);
  assert.ok(session.closed);
  assert.is.not(closedWith, 'not called');
  const error = await kilnRejection(session.exec('true'));
  assert.is(error.code, 'E_SSH');
  assert.match(error.hint ?? '', 'expect_disconnect');
});

test('exec abort rejects with CancelledError without waiting for the command', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  assert.instance(await rejection(session.exec('sleep 10', { signal: controller.signal })), CancelledError);
  assert.ok(Date.now() - started < 2000);
  assert.is((await session.exec('echo still usable')).exitCode, 0);
});

test('uploadFile keeps the local mode, or sets the one given', async () => {
  writeFileSync(join(local, 'tool'), '#!/bin/sh\necho hi\n');
  chmodSync(join(local, 'tool'), 0o775);
  const stats = await session.uploadFile(join(local, 'tool'), join(server.home, 'tool'));
  assert.equal(stats, { files: 1, directories: 0, bytes: 18 });
  assert.is(readFileSync(join(server.home, 'tool'), 'utf8'), '#!/bin/sh\necho hi\n');
  assert.is(mode(join(server.home, 'tool')), 0o775); // the server's umask 022 was undone
  await session.uploadFile(join(local, 'tool'), join(server.home, 'tool2'), 0o600);
  assert.is(mode(join(server.home, 'tool2')), 0o600);
});

test('uploadFile copies a file larger than one chunk exactly', async () => {
  const big = Buffer.alloc(700 * 1024 + 3);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  writeFileSync(join(local, 'big'), big);
  const stats = await session.uploadFile(join(local, 'big'), 'big.bin'); // relative: the home directory
  assert.is(stats.bytes, big.length);
  assert.ok(readFileSync(join(server.home, 'big.bin')).equals(big));
});

test('uploadFile into a missing remote directory says so', async () => {
  writeFileSync(join(local, 'f'), 'x');
  const error = await kilnRejection(session.uploadFile(join(local, 'f'), join(server.home, 'missing', 'f')));
  assert.is(error.code, 'E_SSH');
  assert.match(error.message, 'no such file or directory');
  assert.match(error.hint ?? '', 'mkdir -p');
});

const makeTree = () => {
  const root = join(local, 'conf');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'A');
  writeFileSync(join(root, 'sub', 'run.sh'), 'echo run');
  chmodSync(join(root, 'sub', 'run.sh'), 0o755);
  writeFileSync(join(root, 'sub', 'deeper', 'secret'), 'S');
  chmodSync(join(root, 'sub', 'deeper', 'secret'), 0o600);
  chmodSync(join(root, 'sub', 'deeper'), 0o700);
  return root;
};

test('uploadDirectory without a trailing slash creates the directory under the destination', async () => {
  const root = makeTree();
  const dest = join(server.home, 'opt');
  const stats = await session.uploadDirectory(root, dest);
  assert.equal(stats, { files: 3, directories: 4, bytes: 10 }); // opt, opt/conf, sub, deeper
  assert.is(readFileSync(join(dest, 'conf', 'a.txt'), 'utf8'), 'A');
  assert.is(readFileSync(join(dest, 'conf', 'sub', 'run.sh'), 'utf8'), 'echo run');
  assert.is(mode(join(dest, 'conf', 'sub', 'run.sh')), 0o755);
  assert.is(mode(join(dest, 'conf', 'sub', 'deeper', 'secret')), 0o600);
  assert.is(mode(join(dest, 'conf', 'sub', 'deeper')), 0o700);
});

test('uploadDirectory with a trailing slash uploads the contents into the destination', async () => {
  const root = makeTree();
  const dest = join(server.home, 'etc');
  mkdirSync(dest, { mode: 0o755 });
  chmodSync(dest, 0o751);
  await session.uploadDirectory(`${root}/`, dest);
  assert.is(readFileSync(join(dest, 'a.txt'), 'utf8'), 'A');
  assert.is(readFileSync(join(dest, 'sub', 'deeper', 'secret'), 'utf8'), 'S');
  assert.not.ok(existsSync(join(dest, 'conf')));
  assert.is(mode(dest), 0o751); // an existing directory keeps its own mode
});

test('uploadDirectory refuses a file', async () => {
  writeFileSync(join(local, 'f'), 'x');
  assert.is((await kilnRejection(session.uploadDirectory(join(local, 'f'), server.home))).code, 'E_SOURCE');
});

test('writeFile writes contents with the mode, and remove deletes it', async () => {
  const path = join(server.home, 'script.sh');
  await session.writeFile(path, 'echo written\n', 0o755);
  assert.is(readFileSync(path, 'utf8'), 'echo written\n');
  assert.is(mode(path), 0o755);
  assert.equal((await session.exec(path)).stdoutTail, ['written']); // closed before exec: no "Text file busy"
  await session.remove(path);
  assert.not.ok(existsSync(path));
});

test('onClose fires when the session is closed by us', async () => {
  let calls = 0;
  session.onClose(() => calls++);
  await session.close();
  assert.is(calls, 1);
  await session.close(); // twice is fine
  assert.is(calls, 1);
});

test.run();
