// openSshShell with a stand-in `ssh` on PATH: it runs in a real pseudo-terminal, gets
// the password typed for it, sees a private key file only while the session lasts.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSshShell, sshArgs } from '../../lib/console/ssh-shell.js';
import { fakeTerminal } from './fake-terminal.js';
import { kilnRejection } from '../helpers/rejection.js';

const FAKE_SSH = `#!/bin/sh
printf '%s\\n' "$@" > "$(dirname "$0")/args"
for a in "$@"; do case $prev in -i) stat -c '%a' "$a" > "$(dirname "$0")/keymode" ;; esac; prev=$a; done
[ -t 0 ] && echo "tty: yes" || echo "tty: no"
printf "kiln@127.0.0.1's password: "
stty -echo; read pw; stty echo; echo
echo "password was [$pw]"
while read line; do
  [ "$line" = exit ] && exit 0
  echo "guest ran: $line"
done
`;

test('sshArgs: no user config, no host key checks, key or password only', () => {
  const withKey = sshArgs({ host: '127.0.0.1', port: 2222, username: 'kiln' }, '/w/key');
  assert.ok(withKey.join(' ').startsWith('-F /dev/null -p 2222 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'));
  assert.ok(withKey.join(' ').includes('-i /w/key -o IdentitiesOnly=yes'));
  assert.ok(withKey.join(' ').includes('-o PasswordAuthentication=no'));
  assert.equal(withKey.slice(-2), ['-t', 'kiln@127.0.0.1']);
  const withPassword = sshArgs({ host: '127.0.0.1', port: 2222, username: 'kiln', password: 'pw' });
  assert.ok(withPassword.includes('PubkeyAuthentication=no'));
  assert.not.ok(withPassword.includes('PasswordAuthentication=no'));
});

test('openSshShell runs ssh in a pty, answers its password prompt once, and cleans up the key file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-ssh-shell-'));
  try {
    await writeFile(join(dir, 'ssh'), FAKE_SSH);
    await chmod(join(dir, 'ssh'), 0o755);
    const term = fakeTerminal();
    const session = openSshShell(
      { host: '127.0.0.1', port: 2222, username: 'kiln', password: 'se cret:1', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----' },
      term,
      { scratchDir: dir, env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } },
    );
    await term.waitFor(/password was \[se cret:1\]/);
    term.input.write('uname\r');
    await term.waitFor(/guest ran: uname/);
    term.input.write('exit\r');
    assert.is(await session, 'ended');
    assert.match(term.text(), /tty: yes/);
    assert.is((await readFile(join(dir, 'keymode'), 'utf8')).trim(), '600');
    assert.match(await readFile(join(dir, 'args'), 'utf8'), /kiln@127\.0\.0\.1/);
    assert.equal((await readdir(dir)).filter((f) => f.startsWith('shell-key')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('openSshShell says how to get ssh when it is missing', async () => {
  const error = await kilnRejection(openSshShell({ host: 'h', port: 1, username: 'u' }, fakeTerminal(), { scratchDir: tmpdir(), env: { PATH: '/nonexistent' } }));
  assert.match(error.hint ?? '', /openssh-client/);
});

test.run();
