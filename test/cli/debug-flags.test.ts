// The debugging flags and `kiln console` as a user meets them, without a VM: mistakes
// are usage errors (exit 2) before anything starts, and --json reports them on stdout.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

const template = (command: string) => `
name: flags
source: { iso: { url: test.iso, checksum: none } }
boot: { command: ['${command}'] }
ssh: { username: kiln, password: x }
output: { directory: out }
`;

async function project(command = '<enter>'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-flags-'));
  await writeFile(join(dir, 'test.iso'), 'x');
  await writeFile(join(dir, 'kiln.yaml'), template(command));
  return dir;
}

test('--on-error=ask without a terminal is refused before the build starts', async () => {
  const dir = await project();
  try {
    const run = await runKiln(['build', 'kiln.yaml', '--on-error=ask'], { cwd: dir });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /--on-error=ask needs a terminal/);
    assert.not.match(run.stderr, /==> prepare-output/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('build-only flags are refused by validate', async () => {
  for (const flag of ['--json', '--console', '--screenshots']) {
    const run = await runKiln(['validate', 'kiln.yaml', flag]);
    assert.is(run.code, 2, flag);
    assert.match(run.stderr, new RegExp(`${flag} applies to kiln build only`));
  }
});

test('--json: an invalid template is an error event on stdout, the report on stderr', async () => {
  const dir = await project('<entr>');
  try {
    const run = await runKiln(['build', 'kiln.yaml', '--json'], { cwd: dir });
    assert.is(run.code, 2);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.is(lines.length, 1);
    assert.equal([lines[0].type, lines[0].code, lines[0].exit_code], ['error', 'E_INVALID', 2]);
    assert.match(run.stderr, /did you mean <enter>/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('<waitScreen> on a host without tesseract fails validation, naming the package', async () => {
  const dir = await project('<waitScreen "boot:">');
  try {
    const ok = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
    assert.is(ok.code, 0, ok.stderr);
    const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir, env: { PATH: '/nonexistent' } });
    assert.is(run.code, 2);
    assert.match(run.stderr, /<waitScreen> reads the screen with tesseract \(OCR\), which is not installed: .*apt install tesseract-ocr tesseract-ocr-eng/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// A QEMU that fails at once: the build gets past create-disk, then start-vm fails.
async function failingQemu(dir: string): Promise<NodeJS.ProcessEnv> {
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'qemu-system-x86_64'), '#!/bin/sh\necho "qemu-system-x86_64: simulated failure" >&2\nexit 1\n');
  await chmod(join(bin, 'qemu-system-x86_64'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(dir, 'cache') };
}

const layersIn = async (dir: string): Promise<string[]> => readdir(join(dir, 'cache', 'kiln', 'layers')).then((names) => names.filter((n) => !n.startsWith('.')), () => []);

test('--on-error=abort keeps the work folder and the unfinished disk; the default removes both', async () => {
  const dir = await project();
  try {
    const env = await failingQemu(dir);
    const kept = await runKiln(['build', 'kiln.yaml', '--on-error=abort'], { cwd: dir, env });
    assert.is(kept.code, 1, kept.stderr);
    assert.match(kept.stderr, /simulated failure \[E_QEMU\]/);
    assert.match(kept.stderr, /kept the unfinished disk\(s\) in \S+ for inspection/);
    assert.match(kept.stderr, /kept \S+\/out\/\.kiln-work for inspection \(--on-error=abort\)/);
    assert.ok(existsSync(join(dir, 'out', '.kiln-work')), '.kiln-work kept');
    assert.is((await layersIn(dir)).length, 1, 'the unfinished layer is kept');

    await rm(join(dir, 'out'), { recursive: true });
    await rm(join(dir, 'cache'), { recursive: true });
    const cleaned = await runKiln(['build', 'kiln.yaml'], { cwd: dir, env });
    assert.is(cleaned.code, 1, cleaned.stderr);
    assert.not.match(cleaned.stderr, /for inspection/);
    assert.not.ok(existsSync(join(dir, 'out', '.kiln-work')), '.kiln-work removed');
    assert.ok(existsSync(join(dir, 'out', 'build.log')), 'build.log stays');
    assert.equal(await layersIn(dir), [], 'no unfinished layer left');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--no-cache reaches the stage cache: every stage runs', async () => {
  const dir = await project();
  try {
    const run = await runKiln(['build', 'kiln.yaml', '--no-cache'], { cwd: dir, env: await failingQemu(dir) });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, /cache: nothing to resume from: every stage runs \(--no-cache\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('kiln console: nothing to attach to, or a wrong name, is a usage error that says what runs', async () => {
  const runtime = await mkdtemp(join(tmpdir(), 'kiln-runtime-'));
  try {
    const none = await runKiln(['console'], { env: { XDG_RUNTIME_DIR: runtime } });
    assert.is(none.code, 2);
    assert.match(none.stderr, /no kiln build is running/);
    const named = await runKiln(['console', 'demo'], { env: { XDG_RUNTIME_DIR: runtime } });
    assert.is(named.code, 2);
    assert.match(named.stderr, /no running kiln build is called "demo"/);
    const two = await runKiln(['console', 'a', 'b'], { env: { XDG_RUNTIME_DIR: runtime } });
    assert.is(two.code, 2);
    assert.match(two.stderr, /at most one build name/);
  } finally {
    await rm(runtime, { recursive: true, force: true });
  }
});

test.run();
