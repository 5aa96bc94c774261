// user-data (cloud-config with Ubuntu's autoinstall section) and meta-data lint.
import { tmpdir } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintText } from '../../lib/lint/lint-text.js';
import { lintMetaData, lintUserData } from '../../lib/lint/user-data.js';

const at = (text: string) => lintUserData(text).problems.map((p) => `${p.line}:${p.column ?? '-'} ${p.message}`);

const GOOD = `#cloud-config
autoinstall:
  version: 1
  identity:
    hostname: box
    username: vagrant
    password: "$6$salt$hash"
  ssh:
    install-server: yes
    allow-pw: true
  storage: { layout: { name: direct } }
  late-commands:
    - "echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > /target/etc/sudoers.d/vagrant"
    - [curtin, in-target, --, update-grub]
  shutdown: poweroff
`;

test('a good autoinstall user-data passes (yes is a boolean, as in cloud-init)', () => {
  assert.equal(lintUserData(GOOD), { problems: [], autoinstall: true });
  assert.equal(lintUserData('#cloud-config\npackages: [htop]\n'), { problems: [], autoinstall: false });
  assert.equal(lintUserData('#!/bin/sh\necho a script\n'), { problems: [], autoinstall: false });
});

test('faults are reported with line and column', () => {
  const bad = `autoinstall:
  versoin: 1
  identity:
    hostname: box
    username: vagrant
    password: vagrant
  ssh:
    allow-pw: maybe
  late-commands:
    - echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > /target/etc/sudoers.d/vagrant
  shutdown: halt
  keyboard: us
`;
  assert.equal(at(bad), [
    '1:1 user-data must start with the line "#cloud-config" (found "autoinstall:"): cloud-init ignores anything else as configuration',
    '1:1 autoinstall needs "version: 1"',
    '2:3 unknown autoinstall key "versoin": did you mean "version"? (the installer ignores it)',
    '6:15 autoinstall.identity.password must be a crypted hash such as "$6$..." (make one with: openssl passwd -6): a plain password is stored as the hash, so nobody could log in',
    '8:15 autoinstall.ssh.allow-pw must be true or false',
    '10:7 this late-commands entry is read as a mapping because of the ": " in it: put the whole command in quotes',
    '11:13 autoinstall.shutdown must be reboot or poweroff, not "halt"',
    '12:13 autoinstall.keyboard must be a mapping',
  ]);
});

test('YAML errors, a wrong version and a missing identity', () => {
  assert.equal(at('#cloud-config\nautoinstall:\n  version: 1\n  identity: [unclosed\n'), ['5:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  assert.equal(at('#cloud-config\nautoinstall:\n  version: 2\n  user-data: {}\n'), ['3:12 autoinstall.version must be the number 1']);
  assert.equal(at('#cloud-config\nautoinstall:\n  version: "1"\n'), [
    '2:1 autoinstall has no identity (or user-data): the installer would stop and ask for a user',
    '3:12 autoinstall.version must be a whole number',
  ]);
});

test('meta-data is a mapping or empty', () => {
  assert.equal(lintMetaData(''), []);
  assert.equal(lintMetaData('instance-id: x\n'), []);
  assert.equal(
    lintMetaData('just text\n').map((p) => `${p.line}:${p.column} ${p.message}`),
    ['1:1 meta-data must be a mapping such as "instance-id: my-vm", or empty'],
  );
});

test('a MIME multi-part user-data (served from http.directory, say) is linted part by part, at its lines', async () => {
  const doc = (config: string) =>
    ['Content-Type: multipart/mixed; boundary="B"', 'MIME-Version: 1.0', '', '--B', 'Content-Type: text/cloud-config', '', config, '--B', 'Content-Type: text/x-shellscript', '', '#!/bin/sh', 'echo ok', '--B--', ''].join('\n');
  const options = { tools: false, scratch: async () => tmpdir() };
  assert.equal((await lintText('user-data', doc('#cloud-config\nruncmd: [ls]'), options)).problems, []);
  const bad = (await lintText('user-data', doc('#cloud-config\nruncmd: [ls'), options)).problems;
  assert.ok(bad.length > 0 && bad.every((p) => p.line >= 7 && p.line <= 8), JSON.stringify(bad));
});

test.run();
