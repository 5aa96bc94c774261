// The file provisioner's direction: download, against the in-process SSH server.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
let host: string;

test.before.each(async () => {
  server = await startFakeSshServer({ password: 'secret' });
  session = await openSession(server);
  host = mkdtempSync(join(tmpdir(), 'kiln-download-test-'));
  mkdirSync(join(server.home, 'logs', 'apt'), { recursive: true });
  writeFileSync(join(server.home, 'logs', 'install.log'), 'installed\n');
  writeFileSync(join(server.home, 'logs', 'apt', 'history.log'), 'apt\n');
});

test.after.each(async () => {
  await session.close();
  await server.close();
  rmSync(host, { recursive: true, force: true });
});

const download = (source: string, destination: string): FileProvisioner => ({ type: 'file', direction: 'download', source, destination, pause_before_ms: 0, max_retries: 0 });
const run = (p: FileProvisioner) => runFileProvisioner(session, p, { label: 'provision[3] file', log: memoryLog() });

const cases: [string, string, string, string[]][] = [
  ['a file to an exact path', 'logs/install.log', 'out/install.txt', ['out/install.txt']],
  ['a file into a folder (trailing slash)', 'logs/install.log', 'out/', ['out/install.log']],
  ['a folder lands under its own name', 'logs', 'out', ['out/logs/apt/history.log', 'out/logs/install.log']],
  ['a folder with a trailing slash: its contents', 'logs/', 'out', ['out/apt/history.log', 'out/install.log']],
];
for (const [name, source, destination, expected] of cases) {
  test(`download: ${name}`, async () => {
    await run(download(join(server.home, source) + (source.endsWith('/') ? '/' : ''), join(host, destination) + (destination.endsWith('/') ? '/' : '')));
    const found = readdirSync(host, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(host.length + 1))
      .sort();
    assert.equal(found, expected);
    assert.is(readFileSync(join(host, expected.at(-1)!), 'utf8').length > 0, true);
  });
}

test('a missing file in the guest is E_PROVISION naming the step, and nothing is left on the host', async () => {
  const error = await kilnRejection(run(download(join(server.home, 'nope.log'), join(host, 'nope.log'))));
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, /^provision\[3\] file: download of .*nope\.log failed: no such file or directory$/);
  assert.not.ok(existsSync(join(host, 'nope.log')));
  assert.equal(readdirSync(host), []);
});

test.run();
