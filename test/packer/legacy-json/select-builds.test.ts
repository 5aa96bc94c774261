// -only / -except globs, as Packer reads them for JSON templates' builder names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globToRegExp } from '../../../lib/packer/build-name-glob.js';
import { selectBuilds } from '../../../lib/packer/legacy-json/select-builds.js';

const GLOBS: [string, string[], string[]][] = [
  ['qemu', ['qemu'], ['qemu-efi', 'xqemu']],
  ['qemu*', ['qemu', 'qemu-efi'], ['vbox-qemu']],
  ['*-efi', ['qemu-efi', '-efi'], ['qemu-efi2']],
  ['qemu-?', ['qemu-a'], ['qemu-', 'qemu-ab']],
  ['ubuntu-{2204,2404}', ['ubuntu-2204', 'ubuntu-2404'], ['ubuntu-2004', 'ubuntu-']],
  ['vm[0-9]', ['vm1', 'vm9'], ['vma', 'vm10']],
  ['vm[!0-9]', ['vma'], ['vm1']],
  ['a.b', ['a.b'], ['axb']],
  ['\\*', ['*'], ['x']],
];

test('globs match whole builder names', () => {
  for (const [pattern, matching, other] of GLOBS) {
    const regexp = globToRegExp(pattern);
    for (const name of matching) assert.ok(regexp.test(name), `${pattern} matches ${name}`);
    for (const name of other) assert.not.ok(regexp.test(name), `${pattern} does not match ${name}`);
  }
  for (const broken of ['vm[0-9', 'a{b,c', 'x\\']) assert.throws(() => globToRegExp(broken), undefined, broken);
});

test('a broken pattern is a problem, not a crash', () => {
  const selection = selectBuilds(['qemu'], [], ['a{b'], []);
  assert.equal(selection.issues, [{ path: '-only', message: '-only "a{b": "{" without its "}"' }]);
});

test('-except names named post-processors as well as builds; -only only builds', () => {
  const selection = selectBuilds(['qemu', 'vbox'], ['publish'], [], ['publish']);
  assert.equal(selection.builds, ['qemu', 'vbox']);
  assert.ok(selection.skipPostProcessor('publish'));
  assert.not.ok(selection.skipPostProcessor('other'));
  assert.equal(selectBuilds(['qemu', 'vbox'], ['publish'], ['publish'], []).issues.map((i) => i.message), ['-only "publish" matches no build: the builds are: qemu, vbox']);
});

test.run();
