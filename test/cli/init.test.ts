// kiln init, as a user runs it: list, copy a boot-config into a new folder, validate it;
// refuse a non-empty folder unless --force; never leave a half copy behind.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runKiln } from '../helpers/run-kiln.js';

const SOURCE = join(REPO, 'boot-configs');
let work = '';
test.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kiln-init-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

test('--list shows every boot-config with its one-line description', async () => {
  const run = await runKiln(['init', '--list']);
  assert.is(run.code, 0, run.stderr);
  const names = (await readdir(SOURCE, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== '_shared').map((e) => e.name);
  assert.is(names.length, 10); // eight installers, two cloud images
  assert.not.match(run.stdout, '_shared');
  for (const name of names) {
    const description = readFileSync(join(SOURCE, name, 'README.md'), 'utf8').split('\n')[0]!.replace(`# ${name}: `, '');
    assert.match(run.stdout, new RegExp(`^  ${name.replace('.', '\\.')} +${description.replace(/[()."]/g, '\\$&')}$`, 'm'));
  }
});

test('init copies the boot-config and the shared files it uses into a new folder, ready to validate', async () => {
  const run = await runKiln(['init', 'ubuntu-24.04', 'my-image'], { cwd: work });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /created my-image\/ from the ubuntu-24\.04 boot-config \(\d+ files\)/);
  assert.match(run.stdout, /next: cd my-image && kiln validate kiln\.yaml && kiln build kiln\.yaml/);
  const dir = join(work, 'my-image');
  // Its own files but kiln-init.json, and the apt family's scripts from _shared.
  const from = new Map((await filesUnder(join(SOURCE, 'ubuntu-24.04'))).filter((f) => f !== 'kiln-init.json').map((f) => [f, join(SOURCE, 'ubuntu-24.04', f)]));
  for (const f of ['files/vagrant.pub', 'scripts/minimize.sh', 'scripts/vagrant.sh']) from.set(f, join(SOURCE, '_shared', 'common', f));
  from.set('scripts/cleanup.sh', join(SOURCE, '_shared', 'apt', 'scripts', 'cleanup.sh'));
  assert.equal(await filesUnder(dir), [...from.keys()].sort());
  for (const [file, source] of from) {
    assert.is(await readFile(join(dir, file), 'utf8'), await readFile(source, 'utf8'), file);
    assert.is((await stat(join(dir, file))).mode & 0o777, (await stat(source)).mode & 0o777, file);
  }
  assert.ok(((await stat(join(dir, 'scripts', 'vagrant.sh'))).mode & 0o111) !== 0, 'scripts stay executable');
  for (const template of ['kiln.yaml', 'kiln-efi.yaml']) {
    const validate = await runKiln(['validate', template], { cwd: dir });
    assert.is(validate.code, 0, validate.stderr);
  }
  assert.equal((await readdir(work)).filter((n) => n.includes('kiln-init')), [], 'a staging folder was left behind');
});

test('without DIR the folder is named after the boot-config; an empty folder is fine', async () => {
  const run = await runKiln(['init', 'alpine'], { cwd: work });
  assert.is(run.code, 0, run.stderr);
  assert.ok(existsSync(join(work, 'alpine', 'http', 'answers')));
  assert.ok(existsSync(join(work, 'alpine', 'scripts', 'minimize.sh')));
  await mkdir(join(work, 'empty'));
  const into = await runKiln(['init', 'rocky-9', 'empty'], { cwd: work });
  assert.is(into.code, 0, into.stderr);
  assert.ok(existsSync(join(work, 'empty', 'http', 'ks.cfg')));
});

test('a non-empty folder is refused (exit 2, nothing written) unless --force, which keeps other files', async () => {
  const dir = join(work, 'busy');
  await mkdir(dir);
  await writeFile(join(dir, 'notes.txt'), 'mine\n');
  await writeFile(join(dir, 'kiln.yaml'), 'old\n');
  const refused = await runKiln(['init', 'debian-12', 'busy'], { cwd: work });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /busy is not empty \(.*\) \[E_OUTPUT_EXISTS\]/);
  assert.match(refused.stderr, /hint: .*--force/);
  assert.equal((await readdir(dir)).sort(), ['kiln.yaml', 'notes.txt']);
  const forced = await runKiln(['init', 'debian-12', 'busy', '--force'], { cwd: work });
  assert.is(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^wrote busy\//);
  assert.is(await readFile(join(dir, 'notes.txt'), 'utf8'), 'mine\n');
  assert.is(await readFile(join(dir, 'kiln.yaml'), 'utf8'), await readFile(join(SOURCE, 'debian-12', 'kiln.yaml'), 'utf8'));
  assert.not.ok((await filesUnder(dir)).some((f) => f.includes('kiln-init')), 'a partial file was left behind');
});

test('usage mistakes exit 2 with the fix', async () => {
  const typo = await runKiln(['init', 'debain-12'], { cwd: work });
  assert.is(typo.code, 2);
  assert.match(typo.stderr, /there is no boot-config "debain-12": did you mean "debian-12"\? \[E_USAGE\]/);
  assert.match(typo.stderr, /kiln init --list shows them: almalinux-9, alpine, debian-12/);
  const none = await runKiln(['init'], { cwd: work });
  assert.is(none.code, 2);
  assert.match(none.stderr, /kiln init needs a boot-config name/);
  const extra = await runKiln(['init', 'alpine', 'a', 'b'], { cwd: work });
  assert.is(extra.code, 2);
  const flag = await runKiln(['init', 'alpine', '--frce'], { cwd: work });
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--frce/);
  await writeFile(join(work, 'a-file'), '');
  const file = await runKiln(['init', 'alpine', 'a-file'], { cwd: work });
  assert.is(file.code, 2);
  assert.match(file.stderr, /a-file exists and is not a folder/);
});

test.run();
