// Which served files are linted, and as what.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseTargets, kindByName, looksLike } from '../../lib/lint/classify.js';

test('kinds by name', () => {
  const names: [string, string | undefined][] = [
    ['/preseed.cfg', 'preseed'],
    ['/d-i/bookworm/preseed.cfg', 'preseed'],
    ['/x.preseed', 'preseed'],
    ['/preseed-efi.cfg', 'preseed'],
    ['/ks.cfg', 'kickstart'],
    ['/rhel/server.ks', 'kickstart'],
    ['/ks-minimal.cfg', 'kickstart'],
    ['/user-data', 'user-data'],
    ['/ubuntu/meta-data', 'meta-data'],
    ['/answers', 'alpine-answers'],
    ['/post-install.sh', 'shell'],
    ['/grub.cfg', undefined],
    ['/motd', undefined],
  ];
  for (const [path, kind] of names) assert.is(kindByName(path), kind, path);
});

test('the boot command decides the kind of what it names; a NoCloud seed brings user-data and meta-data', () => {
  const targets = chooseTargets(['/auto.txt', '/ks.cfg', '/seed/user-data', '/seed/meta-data', '/x.sh', '/other.cfg'], [
    { path: '/auto.txt', word: 'url=...', kind: 'preseed', strong: true, line: 0 },
    { path: '/seed/', word: 'ds=...', kind: 'nocloud', strong: true, line: 0 },
  ]);
  assert.equal(Object.fromEntries(targets), {
    '/auto.txt': { kind: 'preseed', strong: true },
    '/ks.cfg': { kind: 'kickstart', strong: false },
    '/seed/user-data': { kind: 'user-data', strong: true },
    '/seed/meta-data': { kind: 'meta-data', strong: true },
    '/x.sh': { kind: 'shell', strong: true },
  });
});

test('a file found only by name is linted only if it looks like its format', () => {
  // kiln's own test installer reads a "ks.cfg" that is not a kickstart.
  assert.not.ok(looksLike('kickstart', 'hostname demo\nuser kiln\npassword kiln\nauthorized_key ssh-ed25519 AAAA\n'));
  assert.ok(looksLike('kickstart', 'lang en_US\nrootpw --lock\nbogus line\n'));
  assert.ok(looksLike('kickstart', 'nonsense\n%packages\n%end\n'));
  assert.ok(looksLike('preseed', '# x\nd-i passwd/username string vagrant\n'));
  assert.not.ok(looksLike('preseed', 'menuentry foo {\n}\n'));
  assert.ok(looksLike('alpine-answers', 'export KEYMAPOPTS="us us"\n'));
  assert.not.ok(looksLike('alpine-answers', 'yes\n'));
});

test.run();
