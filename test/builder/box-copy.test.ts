import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeBoxCopy } from '../../lib/builder/box-copy.js';
import { kilnRejection } from '../helpers/rejection.js';

let dir: string;
let box: string;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-box-copy-'));
  box = join(dir, 'demo.libvirt.box');
  writeFileSync(box, 'box bytes');
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('places the box at the path, creating folders, as a hard link on one filesystem', async () => {
  const target = join(dir, 'builds', 'libvirt', 'demo.box');
  await placeBoxCopy(box, target, false);
  assert.is(readFileSync(target, 'utf8'), 'box bytes');
  assert.is(statSync(target).ino, statSync(box).ino);
  assert.equal(readdirSync(join(dir, 'builds', 'libvirt')), ['demo.box'], 'no temporary file left');
});

test('an existing file is refused without --force and replaced with it', async () => {
  const target = join(dir, 'mine.box');
  writeFileSync(target, 'user file');
  const error = await kilnRejection(placeBoxCopy(box, target, false));
  assert.is(error.code, 'E_OUTPUT_EXISTS');
  assert.match(error.hint ?? '', '--force');
  assert.is(readFileSync(target, 'utf8'), 'user file');
  await placeBoxCopy(box, target, true);
  assert.is(readFileSync(target, 'utf8'), 'box bytes');
});

test('a target that cannot be written is E_EXPORT and leaves nothing behind', async () => {
  writeFileSync(join(dir, 'file'), '');
  const error = await kilnRejection(placeBoxCopy(box, join(dir, 'file', 'x.box'), false));
  assert.is(error.code, 'E_EXPORT');
});

test.run();
