// The CLI as a user meets it: spawned, reading its exit codes and messages.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runKiln } from '../helpers/run-kiln.js';

const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-cli-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const minimal = (source: string) => `
name: cli
source:
  iso: ${source}
boot:
  command: ["<enter>"]
ssh: { username: kiln, password: x }
output: { directory: out }
`;

test('--version prints the package version', async () => {
  const run = await runKiln(['--version']);
  assert.is(run.code, 0);
  assert.is(run.stdout.trim(), version);
});

test('--help lists the commands; no command is a usage error (exit 2)', async () => {
  const help = await runKiln(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /kiln build FILE/);
  const none = await runKiln([]);
  assert.is(none.code, 2);
  const unknown = await runKiln(['bulid', 'x.yaml']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "bulid"/);
});

test('an invalid template exits 2 and reports every problem with line:column', async () => {
  const dir = await tempProject({
    'kiln.yaml': `name: Bad Name
machne: {}
source:
  iso: { url: x.iso, checksum: "sha256:abc" }
boot:
  wait: 10
  command: ["<entr>"]
ssh: { username: kiln }
`,
  });
  try {
    for (const command of ['validate', 'build']) {
      const run = await runKiln([command, 'kiln.yaml'], { cwd: dir });
      assert.is(run.code, 2, run.stderr);
      assert.match(run.stderr, /kiln\.yaml:1:\d+: name/);
      assert.match(run.stderr, /kiln\.yaml:2:\d+: .*did you mean "machine"/);
      assert.match(run.stderr, /kiln\.yaml:4:\d+: source\.iso\.checksum/);
      assert.match(run.stderr, /kiln\.yaml:6:\d+: boot\.wait/);
      assert.match(run.stderr, /kiln\.yaml:7:\d+: boot\.command.*<enter>/);
      assert.not.ok(existsSync(join(dir, 'output')), 'build created output for an invalid template');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a checksum mismatch fails before anything boots, naming both digests', async () => {
  const iso = 'not really an ISO\n';
  const actual = createHash('sha256').update(iso).digest('hex');
  const wrong = 'f'.repeat(64);
  const dir = await tempProject({ 'test.iso': iso, 'kiln.yaml': minimal(`{ url: test.iso, checksum: "sha256:${wrong}" }`) });
  try {
    const run = await runKiln(['build', 'kiln.yaml'], { cwd: dir });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(wrong));
    assert.match(run.stderr, new RegExp(actual));
    assert.match(run.stderr, /E_CHECKSUM/);
    assert.not.ok(existsSync(join(dir, 'out', 'serial.log')), 'a VM was started');
    assert.not.ok(existsSync(join(dir, 'out', '.kiln-work')), 'work dir left behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an existing output directory is kept unless --force', async () => {
  const dir = await tempProject({ 'test.iso': 'x', 'kiln.yaml': minimal('{ url: test.iso, checksum: none }'), 'out/keep.txt': 'mine' });
  try {
    const run = await runKiln(['build', 'kiln.yaml'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /already exists/);
    assert.match(run.stderr, /--force/);
    assert.ok(existsSync(join(dir, 'out', 'keep.txt')));
    // A refused build claims nothing: a later --force still sees keep.txt as the user's.
    assert.not.ok(existsSync(join(dir, 'out', '.kiln-output.json')));
    const forced = await runKiln(['build', 'kiln.yaml', '--force'], { cwd: dir });
    assert.is(forced.code, 2, forced.stderr);
    assert.is(readFileSync(join(dir, 'out', 'keep.txt'), 'utf8'), 'mine');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--force never deletes what kiln did not write: the user\'s files stay, exit 2', async () => {
  const dir = await tempProject({ 'test.iso': 'x', 'kiln.yaml': minimal('{ url: test.iso, checksum: none }'), 'out/keep.txt': 'mine' });
  try {
    const run = await runKiln(['build', 'kiln.yaml', '--force'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /holds files kiln did not write: keep\.txt/);
    assert.is(readFileSync(join(dir, 'out', 'keep.txt'), 'utf8'), 'mine');
    assert.not.ok(existsSync(join(dir, 'out', 'build.log')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('output.directory "." is refused by validate and build, and the folder is untouched', async () => {
  const template = minimal('{ url: test.iso, checksum: none }').replace('directory: out', 'directory: "."');
  const dir = await tempProject({ 'test.iso': 'x', 'kiln.yaml': template, 'notes.txt': 'mine' });
  try {
    for (const args of [['validate', 'kiln.yaml'], ['build', 'kiln.yaml', '--force']]) {
      const run = await runKiln(args, { cwd: dir });
      assert.is(run.code, 2, run.stderr);
      assert.match(run.stderr, /kiln\.yaml:8:22: output\.directory: output directory .* is the template's folder/);
    }
    assert.equal(readdirSync(dir).sort(), ['kiln.yaml', 'notes.txt', 'test.iso']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad flags are usage errors', async () => {
  const run = await runKiln(['build', 'kiln.yaml', '--on-error=explode']);
  assert.is(run.code, 2);
  assert.match(run.stderr, /--on-error must be cleanup, abort or ask/);
  const bad = await runKiln(['build', 'kiln.yaml', '--var', 'novalue']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /NAME=VALUE/);
});

test.run();
