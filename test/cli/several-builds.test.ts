// kiln build with several builds, spawned, without a VM: every build here fails at its
// download (port 9 is refused at once), which is enough to see the queue, the tagged
// lines, the JSON tags, the summary and the exit code. test/e2e/matrix.test.ts boots them.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

const template = (name: string) => `
name: ${name}
source:
  iso: { url: "https://127.0.0.1:9/${name}.iso", checksum: "sha256:${'c'.repeat(64)}" }
boot:
  command: ["<enter>"]
ssh: { username: kiln, password: x }
output: { directory: out/${name} }
`;

async function project(names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-several-'));
  for (const name of names) await writeFile(join(dir, `${name}.yaml`), template(name));
  return dir;
}

test('--list prints each build and its output directory, and builds nothing', async () => {
  const dir = await project(['alpha', 'beta']);
  const run = await runKiln(['build', 'alpha.yaml', 'beta.yaml', '--list'], { cwd: dir });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, `alpha\t${join(dir, 'out/alpha')}\nbeta\t${join(dir, 'out/beta')}\n`);
});

test('two failing builds: both run, every line tagged with its build, a summary, exit 1', async () => {
  const dir = await project(['alpha', 'beta']);
  const run = await runKiln(['build', 'alpha.yaml', 'beta.yaml', '--parallel', '2'], { cwd: dir });
  assert.is(run.code, 1, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  assert.is(lines[0], 'kiln: 2 builds, 2 at a time: alpha, beta');
  for (const name of ['alpha', 'beta']) {
    assert.ok(lines.includes(`[${name}] ==> fetch-source`), run.stderr);
    assert.ok(lines.some((l) => l.startsWith(`[${name}] kiln: error: cannot reach https://127.0.0.1:9/${name}.iso`)), run.stderr);
  }
  assert.match(run.stderr, /\nbuild {2}result {2}time +artifacts\nalpha +FAILED +\S+ +-\nbeta +FAILED +\S+ +-\n0 of 2 builds succeeded\n$/);
});

test('--json tags every object with its build; --fail-fast --parallel 1 starts no build after a failure', async () => {
  const dir = await project(['alpha', 'beta']);
  const run = await runKiln(['build', 'alpha.yaml', 'beta.yaml', '--json', '--parallel', '1', '--fail-fast'], { cwd: dir });
  assert.is(run.code, 1, run.stderr);
  const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = events.pop()!;
  assert.ok(events.every((e) => e.build === 'alpha'), 'beta never started');
  assert.ok(events.some((e) => e.type === 'error' && e.code === 'E_DOWNLOAD' && e.exit_code === 1));
  assert.is(summary.type, 'summary');
  assert.equal((summary.builds as { name: string; status: string }[]).map((b) => [b.name, b.status]), [['alpha', 'failed'], ['beta', 'not-started']]);
  assert.is(summary.exit_code, 1);
});

test('usage errors (exit 2): builds that would clash, a bad --parallel, --on-error=ask beside others, several templates to validate', async () => {
  const dir = await project(['alpha', 'beta']);
  await writeFile(join(dir, 'alpha-again.yaml'), template('alpha'));
  const cases: [string[], RegExp][] = [
    [['build', 'alpha.yaml', 'alpha-again.yaml'], /two builds are named "alpha" \(.*alpha\.yaml and .*alpha-again\.yaml\)/],
    [['build', 'alpha.yaml', 'beta.yaml', '--parallel', '0'], /--parallel expects a whole number from 1, got "0"/],
    [['build', 'alpha.yaml', '--parallel', 'two'], /--parallel expects a whole number from 1, got "two"/],
    [['build', 'alpha.yaml', 'beta.yaml', '--parallel', '2', '--on-error=ask'], /--on-error=ask needs the terminal to itself/],
    [['validate', 'alpha.yaml', 'beta.yaml'], /kiln validate takes one template, got 2/],
    [['validate', 'alpha.yaml', '--fail-fast'], /--fail-fast applies to kiln build only/],
  ];
  for (const [argv, message] of cases) {
    const run = await runKiln(argv, { cwd: dir });
    assert.is(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});

test.run();
