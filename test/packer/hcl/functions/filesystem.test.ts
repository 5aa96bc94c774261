import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeScratch, scratch } from '../../../helpers/scratch-dir.js';
import { call, contextWith, errorCases, failure, resultCases } from './call.js';

resultCases(test, [
  ['abspath', ['http/ks.cfg'], '/project/http/ks.cfg'],
  ['abspath', ['../other/./x/'], '/other/x'],
  ['abspath', ['/etc//hosts'], '/etc/hosts'],
  ['basename', ['/etc/hosts'], 'hosts'],
  ['basename', ['a/b/'], 'b'],
  ['basename', ['/'], '/'],
  ['basename', [''], '.'],
  ['dirname', ['/etc/hosts'], '/etc'],
  ['dirname', ['a/b/'], 'a/b'],
  ['dirname', ['file'], '.'],
  ['dirname', ['/file'], '/'],
  ['dirname', ['a//b/../c'], 'a'],
  ['pathexpand', ['~/.ssh/id_rsa'], '/home/builder/.ssh/id_rsa'],
  ['pathexpand', ['~'], '/home/builder'],
  ['pathexpand', ['/abs/~/x'], '/abs/~/x'],
  ['env', ['GREETING'], 'hi'],
  ['env', ['UNSET_VARIABLE'], ''],
  ['env', ['constructor'], ''],
]);

errorCases(test, [
  ['pathexpand', ['~other/x'], 'pathexpand: cannot expand "~other/x": only ~ and ~/ (the current user\'s home) are supported'],
  ['basename', [], 'basename: expects 1 argument, got 0'],
  ['env', [['HOME']], 'env: argument 1 must be a string, got a list'],
]);

test('pathexpand without HOME says so', () => {
  assert.is(failure('pathexpand', ['~/x'], contextWith({ env: {} })), 'pathexpand: cannot expand "~/x": HOME is not set');
});

test('file reads UTF-8 text relative to cwd, and says what is wrong otherwise', async () => {
  const dir = await scratch({ 'http/user-data': '#cloud-config\nhostname: vm\n', 'bin.dat': '', 'sub/': '' });
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0xff, 0xfe, 0x00]));
  const context = contextWith({ cwd: dir, env: { HOME: dir } });
  assert.is(call('file', ['http/user-data'], context), '#cloud-config\nhostname: vm\n');
  assert.is(call('file', [join(dir, 'http/user-data')], context), '#cloud-config\nhostname: vm\n');
  assert.is(call('file', ['~/http/user-data'], context), '#cloud-config\nhostname: vm\n');
  assert.is(failure('file', ['missing.txt'], context), `file: no file exists at "missing.txt" (looked for ${join(dir, 'missing.txt')})`);
  assert.is(failure('file', ['sub'], context), 'file: "sub" is a directory, not a file');
  assert.is(failure('file', ['bin.dat'], context), 'file: the contents of "bin.dat" are not valid UTF-8');
});

test('fileexists is true for a file, false for nothing, and refuses a directory', async () => {
  const dir = await scratch({ 'a.txt': 'x', 'sub/': '' });
  const context = contextWith({ cwd: dir });
  assert.is(call('fileexists', ['a.txt'], context), true);
  assert.is(call('fileexists', ['b.txt'], context), false);
  assert.is(call('fileexists', ['a.txt/inside'], context), false);
  assert.is(failure('fileexists', ['sub'], context), 'fileexists: "sub" is a directory');
});

test('fileset matches files by glob, relative to its path, sorted', async () => {
  const dir = await scratch({
    'scripts/01-base.sh': '', 'scripts/02-tools.sh': '', 'scripts/readme.md': '', 'scripts/.hidden.sh': '',
    'scripts/sub/deep/03-x.sh': '', 'scripts/sub/04-y.sh': '', 'scripts/dir.sh/': '', 'files/a[1].txt': '',
  });
  const context = contextWith({ cwd: dir });
  const fileset = (path: string, pattern: string): unknown => call('fileset', [path, pattern], context);
  assert.equal(fileset('scripts', '*.sh'), ['.hidden.sh', '01-base.sh', '02-tools.sh']);
  assert.equal(fileset('.', 'scripts/0?-*.sh'), ['scripts/01-base.sh', 'scripts/02-tools.sh']);
  assert.equal(fileset('scripts', '**/*.sh'), ['.hidden.sh', '01-base.sh', '02-tools.sh', 'sub/04-y.sh', 'sub/deep/03-x.sh']);
  assert.equal(fileset('scripts', 'sub/**'), ['sub/04-y.sh', 'sub/deep/03-x.sh']);
  assert.equal(fileset('scripts', '{01,02}-*.sh'), ['01-base.sh', '02-tools.sh']);
  assert.equal(fileset('scripts', '0[!1]-*'), ['02-tools.sh']);
  assert.equal(fileset('scripts', './readme.md'), ['readme.md']);
  assert.equal(fileset('files', 'a\\[1\\].txt'), ['a[1].txt']);
  assert.equal(fileset('scripts', '*.txt'), []);
  assert.equal(fileset('missing', '*'), []);
  assert.equal(fileset(dir, 'scripts/*.md'), ['scripts/readme.md']);
  assert.is(failure('fileset', ['scripts', '{a,b'], context), 'fileset: the pattern "{a,b" has an unclosed {');
  assert.is(failure('fileset', ['scripts', '[ab'], context), 'fileset: the pattern segment "[ab" has an unclosed [');
});

test('fileset does not loop through a symlink to a parent folder', async () => {
  const dir = await scratch({ 'tree/a.txt': '' });
  symlinkSync(join(dir, 'tree'), join(dir, 'tree/loop'));
  assert.equal(call('fileset', ['tree', '**/*.txt'], contextWith({ cwd: dir })), ['a.txt']);
});

test.after(removeScratch);
test.run();
