import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { memoryLog } from '../../lib/log/log.js';
import { runShellProvisioner, type ShellProvisionerOptions } from '../../lib/provision/shell.js';
import type { SshSession } from '../../lib/ssh/session.js';
import type { ShellProvisioner } from '../../lib/template/types.js';
import { SHELL_RUN_DEFAULTS } from '../../lib/template/normalise.js';
import { DROP_MARKER, type FakeSshServer, type FakeSshServerOptions, startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { openSession } from '../ssh/helpers/open-session.js';
import { kilnRejection } from '../helpers/rejection.js';

let server: FakeSshServer;
let session: SshSession;
let local: string;
let log: ReturnType<typeof memoryLog>;

const connect = async (options: FakeSshServerOptions = {}) => {
  await server?.close();
  server = await startFakeSshServer({ password: 'secret', ...options });
  session = await openSession(server);
};

test.before.each(async () => {
  await connect();
  local = mkdtempSync(join(tmpdir(), 'kiln-shell-test-'));
  log = memoryLog();
});

test.after.each(async () => {
  await session.close();
  await server.close();
  rmSync(local, { recursive: true, force: true });
});

const shell = (over: Partial<ShellProvisioner>): ShellProvisioner => ({
  type: 'shell',
  sudo: false,
  env: {},
  expect_disconnect: false,
  ...SHELL_RUN_DEFAULTS,
  valid_exit_codes: [0],
  ...over,
});
const options = (over: Partial<ShellProvisionerOptions> = {}): ShellProvisionerOptions => ({
  label: 'provision[1] shell',
  log,
  render: (text) => text.replaceAll('{{ .HTTPIP }}', '10.0.2.2'),
  ...over,
});
const output = () => log.lines.filter((l) => l.startsWith('stdout ') || l.startsWith('stderr '));
const TEMP_SCRIPT = /\/tmp\/kiln-[0-9a-f]{12}\.sh/;

test('inline: runs the rendered commands with env, streams output, removes the script', async () => {
  const p = shell({ inline: ['echo "ip={{ .HTTPIP }}"', 'echo "$GREETING" >&2'], env: { GREETING: 'hi {{ .HTTPIP }}' } });
  const result = await runShellProvisioner(session, p, options());
  assert.equal(result, { disconnected: false });
  assert.equal(output(), ['stdout provision[1] shell: ip=10.0.2.2', 'stderr provision[1] shell: hi 10.0.2.2']);
  const command = server.execs[0]!.command;
  assert.match(command, new RegExp(`^export GREETING='hi 10\\.0\\.2\\.2'; ${TEMP_SCRIPT.source}$`));
  const remote = command.match(TEMP_SCRIPT)![0];
  assert.ok(server.sftpLog.includes(`REMOVE ${remote}`));
  assert.not.ok(existsSync(remote));
});

test('inline: the first failing command stops the script (sh -e)', async () => {
  const error = await kilnRejection(runShellProvisioner(session, shell({ inline: ['echo first', 'false', 'echo never'] }), options()));
  assert.equal(output(), ['stdout provision[1] shell: first']);
  assert.match(error.message, 'exited with code 1');
});

test('failure: message names the label, inline script and exit code, with the stderr tail', async () => {
  const p = shell({ inline: ['echo some output', 'echo "E: package foo not found" >&2', 'exit 3'] });
  const error = await kilnRejection(runShellProvisioner(session, p, options()));
  assert.is(error.code, 'E_PROVISION');
  assert.is(error.message, 'provision[1] shell: inline script exited with code 3\nlast stderr lines:\n  E: package foo not found');
  const remote = server.execs[0]!.command.match(TEMP_SCRIPT)![0];
  assert.not.ok(existsSync(remote), 'the script is removed after a failure too');
});

test('script file: uploaded byte for byte, placeholders not rendered', async () => {
  const script = join(local, 'setup.sh');
  writeFileSync(script, '#!/bin/sh\necho "literal {{ .HTTPIP }}"\necho "$0 ran"\n');
  await runShellProvisioner(session, shell({ script }), options());
  assert.is(output()[0], 'stdout provision[1] shell: literal {{ .HTTPIP }}');
  assert.match(output()[1]!, TEMP_SCRIPT);
});

test('script file failure names the script path', async () => {
  const script = join(local, 'broken.sh');
  writeFileSync(script, '#!/bin/sh\nexit 4\n');
  const error = await kilnRejection(runShellProvisioner(session, shell({ script }), options()));
  assert.is(error.message, `provision[1] shell: ${script} exited with code 4`);
});

test('a missing script file is E_SOURCE, before anything runs', async () => {
  const error = await kilnRejection(runShellProvisioner(session, shell({ script: join(local, 'nope.sh') }), options()));
  assert.is(error.code, 'E_SOURCE');
  assert.is(server.execs.length, 0);
});

test('sudo without a password: sudo -n -E, variables exported inside sudo', async () => {
  const p = shell({ inline: ['echo "user=$(id -u) A=$A"'], sudo: true, env: { A: 'x y' } });
  await runShellProvisioner(session, p, options());
  const exec = server.execs[0]!;
  assert.match(exec.command, new RegExp(`^sudo -n -E sh -c 'export A='\\\\''x y'\\\\''; exec ${TEMP_SCRIPT.source} </dev/null'$`));
  assert.is(exec.stdin, '');
  assert.equal(output(), ['stdout provision[1] shell: user=0 A=x y']);
});

test('sudo with a password: sudo -S with the password on stdin, which the script cannot read', async () => {
  await connect({ sudoPassword: 'pass word' });
  const p = shell({ inline: ['cat', 'echo done'], sudo: true });
  await runShellProvisioner(session, p, options({ sudoPassword: 'pass word' }));
  const exec = server.execs[0]!;
  assert.match(exec.command, new RegExp(`^sudo -S -p '' -E sh -c 'exec ${TEMP_SCRIPT.source} </dev/null'$`));
  assert.is(exec.stdin, 'pass word\n');
  assert.is(readFileSync(join(server.home, '.sudo-password'), 'utf8'), 'pass word');
  assert.equal(output(), ['stdout provision[1] shell: done']);
  assert.not.ok(log.lines.some((l) => l.includes('pass word')), 'the password is never logged');
});

test('sudo that needs a password nobody gave fails with a hint', async () => {
  await connect({ sudoPassword: 'pw' });
  const error = await kilnRejection(runShellProvisioner(session, shell({ inline: ['true'], sudo: true }), options()));
  assert.match(error.message, 'sudo: a password is required');
  assert.match(error.hint ?? '', 'ssh.password');
});

test('expect_disconnect: a dropped connection is the expected outcome', async () => {
  const p = shell({ inline: ['echo rebooting', `echo ${DROP_MARKER}`, 'sleep 5'], expect_disconnect: true });
  const result = await runShellProvisioner(session, p, options());
  assert.equal(result, { disconnected: true });
  assert.ok(log.lines.includes('info: provision[1] shell: the guest disconnected as expected (expect_disconnect)'));
});

test('without expect_disconnect a dropped connection fails with a hint', async () => {
  const p = shell({ inline: [`echo ${DROP_MARKER}`, 'sleep 5'] });
  const error = await kilnRejection(runShellProvisioner(session, p, options()));
  assert.is(error.code, 'E_PROVISION');
  assert.is(error.message, 'provision[1] shell: connection lost while inline script was running');
  assert.match(error.hint ?? '', 'expect_disconnect: true');
});

test('expect_disconnect: a script that finishes normally is not a disconnect', async () => {
  const result = await runShellProvisioner(session, shell({ inline: ['true'], expect_disconnect: true }), options());
  assert.equal(result, { disconnected: false });
});

test('abort stops waiting and rejects with CancelledError', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const error = await kilnRejection(runShellProvisioner(session, shell({ inline: ['sleep 10'] }), options({ signal: controller.signal })));
  assert.instance(error, CancelledError);
  assert.ok(Date.now() - started < 2000);
});

test.run();
