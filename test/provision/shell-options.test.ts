// Packer's shell provisioner options, run against the in-process SSH server (real /bin/sh).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { runShellProvisioner, type ShellProvisionerOptions } from '../../lib/provision/shell.js';
import type { SshSession } from '../../lib/ssh/session.js';
import { SHELL_RUN_DEFAULTS } from '../../lib/template/normalise.js';
import { renderPartial } from '../../lib/template/render.js';
import type { ShellProvisioner } from '../../lib/template/types.js';
import { type FakeSshServer, startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { openSession } from '../ssh/helpers/open-session.js';
import { kilnRejection } from '../helpers/rejection.js';

let server: FakeSshServer;
let session: SshSession;
let scratch: string;
let log: ReturnType<typeof memoryLog>;

test.before.each(async () => {
  server = await startFakeSshServer({ password: 'secret' });
  session = await openSession(server);
  scratch = mkdtempSync(join(tmpdir(), 'kiln-shell-options-'));
  log = memoryLog();
});

test.after.each(async () => {
  await session.close();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const shell = (over: Partial<ShellProvisioner>): ShellProvisioner => ({
  type: 'shell', sudo: false, env: {}, expect_disconnect: false, ...SHELL_RUN_DEFAULTS, valid_exit_codes: [0], ...over,
});
const options = (over: Partial<ShellProvisionerOptions> = {}): ShellProvisionerOptions => ({
  label: 'provision[0] shell',
  log,
  render: (text, extra = {}) => renderPartial(text, { HTTPIP: '10.0.2.2', HTTPPort: 8080, ...extra }),
  ...over,
});
const stdout = () => log.lines.filter((l) => l.startsWith('stdout ')).map((l) => l.replace('stdout provision[0] shell: ', ''));

test('execute_command: {{ .Vars }} and {{ .Path }} filled in the way bento writes it', async () => {
  const p = shell({
    inline: ['echo "addr=$PACKER_HTTP_ADDR name=$PACKER_BUILD_NAME"'],
    env: { PACKER_HTTP_ADDR: '{{ .HTTPIP }}:{{ .HTTPPort }}', PACKER_BUILD_NAME: 'qemu.vm' },
    execute_command: "echo 'vagrant' | {{ .Vars }} sh -eu '{{ .Path }}'",
  });
  await runShellProvisioner(session, p, options());
  assert.equal(stdout(), ['addr=10.0.2.2:8080 name=qemu.vm']);
  const command = server.execs[0]!.command;
  assert.match(command, /^echo 'vagrant' \| PACKER_HTTP_ADDR='10\.0\.2\.2:8080' PACKER_BUILD_NAME='qemu\.vm'  sh -eu '\/tmp\/kiln-[0-9a-f]{12}\.sh'$/);
});

test('inline_shebang replaces "#!/bin/sh" + set -e: bash runs it, and a failure in the middle does not stop it', async () => {
  await runShellProvisioner(session, shell({ inline: ['false', 'echo "bash=${BASH_VERSION:+yes}"'], inline_shebang: '/bin/bash' }), options());
  assert.equal(stdout(), ['bash=yes']);
});

const exitCases: [string, number[], string, boolean][] = [
  ['0 is the default', [0], 'exit 0', true],
  ['a listed code passes', [0, 3], 'exit 3', true],
  ['0 fails when not listed', [3], 'exit 0', false],
  ['an unlisted code fails', [0], 'exit 4', false],
];
for (const [name, codes, command, ok] of exitCases) {
  test(`valid_exit_codes: ${name}`, async () => {
    const run = runShellProvisioner(session, shell({ inline: [command], valid_exit_codes: codes }), options());
    if (ok) await run;
    else assert.match((await kilnRejection(run)).message, /exited with code \d/);
  });
}

test('max_retries: a failing script runs again, and the next success ends it', async () => {
  const marker = join(server.home, 'attempts');
  const p = shell({ inline: [`echo x >> ${marker}`, `[ "$(wc -l < ${marker})" -ge 3 ]`], max_retries: 3 });
  await runShellProvisioner(session, p, options());
  assert.is(readFileSync(marker, 'utf8'), 'x\nx\nx\n');
  assert.is(log.lines.filter((l) => l.includes('running it again')).length, 2);
});

test('max_retries: after the last attempt the failure is reported', async () => {
  const error = await kilnRejection(runShellProvisioner(session, shell({ inline: ['exit 5'], max_retries: 1 }), options()));
  assert.match(error.message, 'exited with code 5');
  assert.is(server.execs.length, 2);
});

test('timeout: a script that runs too long is stopped and named', async () => {
  const error = await kilnRejection(runShellProvisioner(session, shell({ inline: ['sleep 20'], timeout_ms: 300 }), options()));
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, 'did not finish within');
  assert.match(error.hint ?? '', 'timeout');
});

test('pause_before and pause_after wait, and say so', async () => {
  await runShellProvisioner(session, shell({ inline: ['true'], pause_before_ms: 50, pause_after_ms: 50 }), options());
  assert.ok(log.lines.some((l) => l.includes('(pause_before)')));
  assert.ok(log.lines.some((l) => l.includes('(pause_after)')));
});

test('remote_path and skip_clean: the script stays where it was put', async () => {
  const remote = join(server.home, 'kept.sh');
  await runShellProvisioner(session, shell({ inline: ['echo kept'], remote_path: remote, skip_clean: true }), options());
  assert.ok(existsSync(remote));
  assert.match(readFileSync(remote, 'utf8'), 'echo kept');
});

test('remote_folder: a fresh name in that folder, removed afterwards', async () => {
  await runShellProvisioner(session, shell({ inline: ['echo "$0"'], remote_folder: server.home }), options());
  const path = stdout()[0]!;
  assert.ok(path.startsWith(`${server.home}/kiln-`), path);
  assert.not.ok(existsSync(path));
});

test.run();
