// breakpoint (driven through a stand-in terminal) and reboot (against the in-process SSH
// server: the "reboot" drops the connection and changes the boot id a test file holds).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { runBreakpoint, sshCommandLine } from '../../lib/provision/breakpoint.js';
import { runReboot } from '../../lib/provision/reboot.js';
import type { SshSession } from '../../lib/ssh/session.js';
import type { BreakpointProvisioner, RebootProvisioner } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { DROP_MARKER, startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { openSession } from '../ssh/helpers/open-session.js';

const connection = { host: '127.0.0.1', port: 40022, user: 'kiln', privateKeyFile: '/out/.kiln-work/ssh-key' };

function terminal(isTTY: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY });
  return input;
}

test('breakpoint: says how to get in, waits for Enter, goes on', async () => {
  const log = memoryLog();
  const input = terminal(true);
  const p: BreakpointProvisioner = { type: 'breakpoint', note: 'look at /etc', disable: false };
  let done = false;
  const run = runBreakpoint(p, { label: 'provision[1] breakpoint', log, input, buildName: 'deb', connection }).then((paused) => {
    done = true;
    return paused;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.not.ok(done, 'it waits for Enter');
  input.write('\n');
  assert.is(await run, true);
  assert.equal(log.lines, [
    'info: provision[1] breakpoint: look at /etc',
    'info: provision[1] breakpoint: the build is paused with the guest running; to get in:',
    'info: provision[1] breakpoint:   ssh -p 40022 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -i /out/.kiln-work/ssh-key kiln@127.0.0.1',
    'info: provision[1] breakpoint:   kiln console deb',
    'info: provision[1] breakpoint: press Enter to go on',
    'info: provision[1] breakpoint: going on',
  ]);
});

const skips: [string, boolean, boolean, string][] = [
  ['disable: true', true, true, 'info: b: skipped (disable: true)'],
  ['not a terminal', false, false, 'info: b: skipped: kiln is not reading from a terminal, so nobody could press Enter'],
];
for (const [name, disable, isTTY, line] of skips) {
  test(`breakpoint: skipped when ${name}`, async () => {
    const log = memoryLog();
    assert.is(await runBreakpoint({ type: 'breakpoint', disable }, { label: 'b', log, input: terminal(isTTY), buildName: 'deb', connection }), false);
    assert.equal(log.lines, [line]);
  });
}

test('breakpoint: a password login says where the password is', () => {
  assert.is(sshCommandLine({ host: '127.0.0.1', port: 2, user: 'a b', password: 'x' }), "ssh -p 2 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null 'a b@127.0.0.1'");
});

async function rebootCase(command: string, timeoutMs: number) {
  const server = await startFakeSshServer({ password: 'secret' });
  const bootFile = join(server.home, 'boot_id');
  writeFileSync(bootFile, 'first-boot\n');
  let session = await openSession(server);
  const logins: SshSession[] = [];
  const p: RebootProvisioner = { type: 'reboot', command, timeout_ms: timeoutMs, pause_before_ms: 0 };
  const log = memoryLog();
  const run = runReboot(session, p, {
    label: 'provision[2] reboot',
    log,
    bootIdCommand: `cat ${bootFile}`,
    reconnect: async () => {
      await session.close();
      session = await openSession(server);
      logins.push(session);
      return session;
    },
  });
  return { server, run, logins, log, close: async () => { await session.close(); await server.close(); } };
}

test('reboot: runs the command, logs in again and checks the boot changed', async () => {
  const c = await rebootCase(`echo second-boot > boot_id; echo ${DROP_MARKER}`, 10_000);
  try {
    const next = await c.run;
    assert.is(next, c.logins[0]);
    assert.is(readFileSync(join(c.server.home, 'boot_id'), 'utf8'), 'second-boot\n');
    assert.ok(c.log.lines.includes('info: provision[2] reboot: the guest is back (new boot second-b)'), c.log.lines.join('\n'));
  } finally {
    await c.close();
  }
});

test('reboot: a guest that never reboots (same boot id) fails after the timeout, naming it', async () => {
  const c = await rebootCase('true', 1000);
  try {
    const error = await kilnRejection(c.run);
    assert.match(error.message, /^provision\[2\] reboot: the guest did not come back over SSH within 1.0s after true$/);
    assert.ok(c.logins.length >= 1);
  } finally {
    await c.close();
  }
});

test('reboot: a command that fails is an error, not a wait', async () => {
  const c = await rebootCase('echo "sudo: a password is required" >&2; exit 1', 10_000);
  try {
    const error = await kilnRejection(c.run);
    assert.match(error.message, /exited with code 1: sudo: a password is required/);
    assert.equal(c.logins, []);
  } finally {
    await c.close();
  }
});

test.run();
