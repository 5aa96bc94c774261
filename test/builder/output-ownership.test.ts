// --force replaces only what an earlier kiln build wrote: the marker names it.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { claimOutputDir, OUTPUT_MARKER, recordOutputs, WORK_DIR_NAME } from '../../lib/builder/output-ownership.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);
const claim = (dir: string, force: boolean) => claimOutputDir(dir, { force, kilnVersion: 'test' });

test('a new directory is made and marked; what a build wrote is recorded', async () => {
  const dir = join(await scratch({}), 'out');
  await claim(dir, false);
  assert.equal(await readdir(dir), [OUTPUT_MARKER]);
  await writeFile(join(dir, 'x.qcow2'), 'image');
  await mkdir(join(dir, WORK_DIR_NAME));
  await recordOutputs(dir, 'test');
  const marker = JSON.parse(await readFile(join(dir, OUTPUT_MARKER), 'utf8'));
  assert.equal(marker.entries, [WORK_DIR_NAME, 'x.qcow2']);
});

test('without --force a non-empty directory is refused, whoever wrote it', async () => {
  const dir = await scratch({ 'mine.txt': 'keep' });
  const error = await kilnRejection(claim(dir, false));
  assert.is(error.code, 'E_OUTPUT_EXISTS');
  assert.is(await readFile(join(dir, 'mine.txt'), 'utf8'), 'keep');
});

test('--force on a folder kiln never wrote deletes nothing and names the files', async () => {
  const dir = await scratch({ 'kiln.yaml': 'name: x', 'scripts/setup.sh': 'echo' });
  const error = await kilnRejection(claim(dir, true));
  assert.is(error.code, 'E_OUTPUT_FOREIGN');
  assert.match(error.message, /kiln\.yaml, scripts/);
  assert.match(error.hint ?? '', /only what an earlier kiln build wrote/);
  assert.ok(existsSync(join(dir, 'kiln.yaml')) && existsSync(join(dir, 'scripts/setup.sh')));
});

test('--force replaces an earlier build, but refuses when a file was added beside it', async () => {
  const dir = join(await scratch({}), 'out');
  await claim(dir, false);
  await writeFile(join(dir, 'old.qcow2'), 'image');
  await recordOutputs(dir, 'test');
  await writeFile(join(dir, 'notes.txt'), 'mine');
  const error = await kilnRejection(claim(dir, true));
  assert.is(error.code, 'E_OUTPUT_FOREIGN');
  assert.match(error.message, /notes\.txt/);
  assert.ok(existsSync(join(dir, 'old.qcow2')), 'nothing is removed when anything is refused');
  await rm(join(dir, 'notes.txt'));
  await claim(dir, true);
  assert.equal(await readdir(dir), [OUTPUT_MARKER]);
});

test('a hand-edited marker naming paths outside the directory removes only the directory\'s own entries', async () => {
  const elsewhere = join(await scratch({ 'elsewhere.txt': 'keep' }), 'elsewhere.txt');
  const entries = ['..', '../precious.txt', elsewhere, 'a/../../precious.txt', 'old.img'];
  const root = await scratch({ 'precious.txt': 'keep', 'out/old.img': 'image', 'out/.kiln-output.json': JSON.stringify({ entries }) });
  const dir = join(root, 'out');
  await claim(dir, true);
  assert.equal(await readdir(dir), [OUTPUT_MARKER]);
  assert.is(await readFile(join(root, 'precious.txt'), 'utf8'), 'keep');
  assert.is(await readFile(elsewhere, 'utf8'), 'keep');
});

test.run();
