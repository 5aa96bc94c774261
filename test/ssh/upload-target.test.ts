import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { directoryUploadRoot, fileUploadTarget } from '../../lib/ssh/upload-target.js';

const dirs: [string, string, string][] = [
  ['/src/files/etc', '/opt', '/opt/etc'],
  ['/src/files/etc/', '/opt', '/opt'],
  ['/src/files/etc', '/opt/', '/opt/etc'],
  ['/src/files/etc/', '/opt/', '/opt/'],
  ['/src/files/etc', 'relative/dir', 'relative/dir/etc'],
];
for (const [local, remote, want] of dirs) {
  test(`directoryUploadRoot(${local}, ${remote})`, () => assert.is(directoryUploadRoot(local, remote), want));
}

test('directoryUploadRoot names the directory itself for "dir/."', () => {
  assert.is(directoryUploadRoot('/src/files/etc/.', '/opt'), '/opt/etc');
});

const files: [string, string, string][] = [
  ['/src/motd', '/etc/motd', '/etc/motd'],
  ['/src/motd', '/etc/', '/etc/motd'],
  ['/src/motd', '/etc/banner', '/etc/banner'],
];
for (const [local, remote, want] of files) {
  test(`fileUploadTarget(${local}, ${remote})`, () => assert.is(fileUploadTarget(local, remote), want));
}

test.run();
