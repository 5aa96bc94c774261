// fixtureOutput, with stand-in fixture scripts (the real ones take minutes).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureOutput } from './fixture-output.js';
import { rejection } from './rejection.js';

let dir = '';
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-fixture-output-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A script that counts its runs in `runs` and prints `output`. */
async function script(output: string): Promise<string> {
  const path = join(dir, 'build.sh');
  await writeFile(path, `echo run >> '${join(dir, 'runs')}'\nprintf '%s' '${output}'\n`);
  return path;
}
const runs = async () => (await readFile(join(dir, 'runs'), 'utf8')).split('\n').filter(Boolean).length;

test('the last line of the output, from one run shared by every call', async () => {
  const get = fixtureOutput(await script('building...\nstill building\n  /cache/fixture.iso  \n'));
  const [a, b] = await Promise.all([get(), get()]);
  assert.equal([a, b, await get()], ['/cache/fixture.iso', '/cache/fixture.iso', '/cache/fixture.iso']);
  assert.is(await runs(), 1);
});

test('a script that fails, or prints nothing, rejects, and is not run again', async () => {
  const failing = join(dir, 'fail.sh');
  await writeFile(failing, `echo run >> '${join(dir, 'runs')}'\necho 'no root' >&2\nexit 3\n`);
  const get = fixtureOutput(failing);
  assert.match((await rejection(get())).message, 'no root');
  await rejection(get());
  assert.is(await runs(), 1);
  assert.match((await rejection(fixtureOutput(await script(''))())).message, /build\.sh printed no path/);
});

test.run();
