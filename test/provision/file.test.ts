import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { runFileProvisioner } from '../../lib/provision/file.js';
import type { SshSession } from '../../lib/ssh/session.js';
import type { FileProvisioner } from '../../lib/template/types.js';
import { type FakeSshServer, startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { openSession } from '../ssh/helpers/open-session.js';
import { kilnRejection } from '../helpers/rejection.js';

let server: FakeSshServer;
let session: SshSession;
let local: string;
let log: ReturnType<typeof memoryLog>;

test.before.each(async () => {
  server = await startFakeSshServer({ password: 'secret' });
  session = await openSession(server);
  local = mkdtempSync(join(tmpdir(), 'kiln-file-test-'));
  log = memoryLog();
  mkdirSync(join(local, 'files', 'conf.d'), { recursive: true });
  writeFileSync(join(local, 'files', 'motd'), 'Welcome\n');
  writeFileSync(join(local, 'files', 'conf.d', 'a.conf'), 'a=1\n');
  writeFileSync(join(local, 'files', 'run.sh'), 'echo\n');
  chmodSync(join(local, 'files', 'run.sh'), 0o755);
});

test.after.each(async () => {
  await session.close();
  await server.close();
  rmSync(local, { recursive: true, force: true });
});

const file = (source: string, destination: string): FileProvisioner => ({ type: 'file', direction: 'upload', source, destination, pause_before_ms: 0, max_retries: 0 });
const run = (p: FileProvisioner) => runFileProvisioner(session, p, { label: 'provision[2] file', log });

test('a file to an exact path', async () => {
  const dest = join(server.home, 'banner');
  const stats = await run(file(join(local, 'files', 'motd'), dest));
  assert.is(readFileSync(dest, 'utf8'), 'Welcome\n');
  assert.is(stats.bytes, 8);
  assert.equal(log.lines, [`info: provision[2] file: uploaded ${join(local, 'files', 'motd')} (8B) to ${dest}`]);
});

test('a file to a destination ending in "/" keeps its name', async () => {
  await run(file(join(local, 'files', 'run.sh'), `${server.home}/`));
  assert.is(readFileSync(join(server.home, 'run.sh'), 'utf8'), 'echo\n');
  assert.is(statSync(join(server.home, 'run.sh')).mode & 0o777, 0o755);
});

test('a directory without a trailing slash is created under the destination', async () => {
  const dest = join(server.home, 'opt');
  const stats = await run(file(join(local, 'files'), dest));
  assert.is(stats.files, 3);
  assert.is(readFileSync(join(dest, 'files', 'conf.d', 'a.conf'), 'utf8'), 'a=1\n');
  assert.equal(log.lines, [`info: provision[2] file: uploaded 3 files (17B) to ${join(dest, 'files')}`]);
});

test('a directory with a trailing slash has its contents uploaded into the destination', async () => {
  const dest = join(server.home, 'etc');
  await run(file(`${join(local, 'files')}/`, dest));
  assert.is(readFileSync(join(dest, 'motd'), 'utf8'), 'Welcome\n');
  assert.is(readFileSync(join(dest, 'conf.d', 'a.conf'), 'utf8'), 'a=1\n');
  assert.not.ok(existsSync(join(dest, 'files')));
});

test('a missing source is E_SOURCE naming the step', async () => {
  const error = await kilnRejection(run(file(join(local, 'nope'), server.home)));
  assert.is(error.code, 'E_SOURCE');
  assert.match(error.message, /^provision\[2\] file: cannot read .*nope/);
});

test('an upload the guest refuses is E_PROVISION naming the step, with the SFTP hint', async () => {
  const error = await kilnRejection(run(file(join(local, 'files', 'motd'), join(server.home, 'no', 'such', 'dir', 'motd'))));
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, /^provision\[2\] file: upload of .* failed: no such file or directory$/);
  assert.match(error.hint ?? '', 'mkdir -p');
});

test.run();
