// writeCidataIso: every tool makes a volume that reads back with the right label and
// contents; the choice of tool follows PATH; a failure or an abort leaves no file.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseIsoTool, isoToolArgv, writeCidataIso, type IsoTool } from '../../lib/cloud-init/cidata.js';
import { CancelledError } from '../../lib/errors.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

const exec = promisify(execFile);
const FILES = {
  'user-data': '#cloud-config\nusers:\n  - name: kiln\n',
  'meta-data': 'instance-id: kiln-test-1\nlocal-hostname: kiln\n',
  'network-config': 'version: 2\nethernets: {}\n',
};
let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-cidata-test-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('tool command lines', () => {
  assert.equal(isoToolArgv('xorriso', '/s', '/o.iso'), {
    command: 'xorriso',
    args: ['-as', 'mkisofs', '-quiet', '-input-charset', 'utf-8', '-V', 'CIDATA', '-J', '-r', '-o', '/o.iso', '/s'],
  });
  assert.equal(isoToolArgv('genisoimage', '/s', '/o.iso'), {
    command: 'genisoimage',
    args: ['-quiet', '-input-charset', 'utf-8', '-V', 'CIDATA', '-J', '-r', '-o', '/o.iso', '/s'],
  });
});

/** Extracts every file of the image with xorriso (it reads Rock Ridge, Joliet or plain ISO 9660). */
async function contents(iso: string): Promise<Record<string, string>> {
  const out = join(dir, `x-${Math.random().toString(16).slice(2)}`);
  await exec('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
  const names = (await readdir(out)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(out, n), 'utf8')] as const)));
}

for (const tool of ['xorriso', 'genisoimage', 'builtin'] as IsoTool[]) {
  test(`${tool}: label CIDATA, the three files with their exact names and contents`, async () => {
    const iso = join(dir, `${tool}.iso`);
    const result = await writeCidataIso(FILES, iso, { tool });
    assert.is(result.tool, tool);
    assert.ok(result.bytes > 16 * 2048 && result.bytes % 2048 === 0, `${result.bytes} bytes`);
    const { stdout } = await exec('blkid', ['-p', '-o', 'export', iso]);
    assert.match(stdout, /^LABEL=CIDATA$/m);
    assert.match(stdout, /^TYPE=iso9660$/m);
    assert.equal(await contents(iso), FILES);
    assert.equal((await readdir(dir)).filter((n) => n.includes('partial')), [], 'no partial file left');
  });
}

test('auto: xorriso when installed, genisoimage next, else the built-in writer', async () => {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  assert.is(chooseIsoTool({ PATH: bin }), 'builtin');
  await writeFile(join(bin, 'genisoimage'), '#!/bin/sh\nexit 1\n');
  await chmod(join(bin, 'genisoimage'), 0o755);
  assert.is(chooseIsoTool({ PATH: bin }), 'genisoimage');
  await writeFile(join(bin, 'xorriso'), '#!/bin/sh\nexit 1\n');
  await chmod(join(bin, 'xorriso'), 0o755);
  assert.is(chooseIsoTool({ PATH: bin }), 'xorriso');
  const empty = join(dir, 'empty-bin');
  await mkdir(empty);
  const iso = join(dir, 'auto.iso');
  assert.is((await writeCidataIso(FILES, iso, { env: { PATH: empty } })).tool, 'builtin');
  assert.equal(await contents(iso), FILES);
});

test('a failing tool: a KilnError with what it said, and no file', async () => {
  const bin = join(dir, 'failing-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'xorriso'), '#!/bin/sh\necho "xorriso : FAILURE : the disk is on fire" >&2\nexit 5\n');
  await chmod(join(bin, 'xorriso'), 0o755);
  const iso = join(dir, 'fail.iso');
  const error = await kilnRejection(writeCidataIso(FILES, iso, { tool: 'xorriso', env: { PATH: bin } }));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.message, /the disk is on fire/);
  const left = (await readdir(dir)).filter((n) => n.startsWith('fail.iso') || n.startsWith('.fail.iso'));
  assert.equal(left, []);
});

test('aborted: CancelledError, and nothing written', async () => {
  const controller = new AbortController();
  controller.abort();
  assert.instance(await rejection(writeCidataIso(FILES, join(dir, 'abort.iso'), { tool: 'builtin', signal: controller.signal })), CancelledError);
  const bin = join(dir, 'slow-bin');
  await mkdir(bin);
  await writeFile(join(bin, 'xorriso'), '#!/bin/sh\nexec /bin/sleep 30\n');
  await chmod(join(bin, 'xorriso'), 0o755);
  const slow = new AbortController();
  setTimeout(() => slow.abort(), 200);
  const started = Date.now();
  assert.instance(await rejection(writeCidataIso(FILES, join(dir, 'abort2.iso'), { tool: 'xorriso', env: { PATH: bin }, signal: slow.signal })), CancelledError);
  assert.ok(Date.now() - started < 5000, 'the tool was stopped');
  assert.equal((await readdir(dir)).filter((n) => n.includes('abort')), []);
});

test('bad file names are refused before anything is written', async () => {
  assert.match((await rejection(writeCidataIso({ 'user data': 'x' }, join(dir, 'bad.iso'), { tool: 'builtin' }))).message, /cannot put "user data"/);
});

test.run();
