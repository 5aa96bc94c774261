// The debugging flags and `kiln console` as a user meets them, without a VM: mistakes
// are usage errors (exit 2) before anything starts, and --json reports them on stdout.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    assert.match(run.stderr, /apply to kiln build only/);
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
