// End to end on real QEMU: a 2-build matrix (one variable, two provisioner outputs) on
// the fixture installer, both at once. The install is made once: one build makes it and
// the other waits for its layer and resumes from it (lib/cache/stage-locks.ts). Then a
// matrix whose second build fails beside a good one, both resuming from that install:
// the good one finishes, the summary says which failed, the exit code is 1. Last, SIGINT
// while two builds provision: exit 130, no QEMU, no work or temp dir left.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureTemplate, writeFixtureProject } from '../helpers/fixture-template.js';
import { installerIso, qemuPids, readGuestFile } from '../helpers/fixtures.js';
import { eventsOf, type KilnEvent } from '../helpers/events.js';
import { runKiln, spawnKiln } from '../helpers/run-kiln.js';

/** The fixture build with one provisioner that writes the matrix's value, and `matrix`. */
function matrixTemplate(matrix: Record<string, string[]>, command: string) {
  const t = fixtureTemplate('mx');
  const variables = Object.fromEntries(Object.entries(matrix).map(([name, values]) => [name, values[0]]));
  return {
    ...t,
    variables: { ...t.variables, ...variables },
    matrix,
    provision: [{ shell: { inline: [command] } }],
    output: { directory: 'out/{{ .Name }}', formats: ['qcow2'] },
  };
}

const byBuild = (events: readonly KilnEvent[], type: string) => events.filter((e) => e.type === type).map((e) => [String(e.build), e] as const);

test('a 2-build matrix runs at once and shares one install; a failing build beside a good one; SIGINT stops both', async () => {
  const iso = await installerIso();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-matrix-'));
  const env = { XDG_CACHE_HOME: join(dir, 'cache') };
  try {
    await writeFixtureProject(dir, matrixTemplate({ flavour: ['one', 'two'] }, 'echo "flavour {{ var `flavour` }}" | sudo tee /etc/kiln-flavour'));
    const run = await runKiln(['build', '--json', '--parallel', '2', '--var', `iso=${iso}`, 'kiln.yaml'], { cwd: dir, env });
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}`);
    const events = eventsOf(run.stdout);
    const started = events.filter((e) => e.type === 'build-started').map((e) => e.build);
    assert.equal(started, ['mx-one', 'mx-two'], 'both started before either finished');
    const firstEnd = events.findIndex((e) => e.type === 'build-finished');
    assert.ok(events.findIndex((e) => e.type === 'build-started' && e.build === 'mx-two') < firstEnd, 'they ran at once');
    for (const flavour of ['one', 'two']) {
      assert.is(await readGuestFile(join(dir, 'out', `mx-${flavour}`, `mx-${flavour}.qcow2`), '/etc/kiln-flavour'), `flavour ${flavour}\n`);
    }
    // One install layer in all: made by one build, resumed from by the other.
    const installs = byBuild(events, 'checkpoint').filter(([, e]) => e.stage === 'install');
    assert.is(installs.length, 1, JSON.stringify(installs));
    const maker = installs[0]![0];
    const caches = Object.fromEntries(byBuild(events, 'cache'));
    const waiter = maker === 'mx-one' ? 'mx-two' : 'mx-one';
    assert.is(caches[maker]!.resumed_from, null);
    assert.is(caches[waiter]!.resumed_from, 'install', `${waiter} resumed from ${maker}'s install`);
    assert.ok(events.some((e) => e.build === waiter && e.type === 'log' && String(e.message).includes('is making install; waiting')));
    const summary = events.at(-1)!;
    assert.equal((summary.builds as { name: string; status: string }[]).map((b) => [b.name, b.status]), [['mx-one', 'ok'], ['mx-two', 'ok']]);

    // Both resume from the install above; the second exits 3 in its provisioner.
    await writeFixtureProject(dir, matrixTemplate({ code: ['0', '3'] }, 'exit {{ var `code` }}'));
    const failing = await runKiln(['build', '--parallel', '2', '--var', `iso=${iso}`, 'kiln.yaml'], { cwd: dir, env });
    assert.is(failing.code, 1, failing.stderr);
    assert.match(failing.stderr, /\nmx-0 +ok +\S+ +\S*out\/mx-0\/mx-0\.qcow2\nmx-3 +FAILED +\S+ +-\n1 of 2 builds succeeded\n$/);
    assert.match(failing.stderr, /\[mx-3\] kiln: error: .*exit/);
    assert.ok((await readdir(join(dir, 'out', 'mx-0'))).includes('mx-0.qcow2'));
    assert.equal(await qemuPids(dir), [], 'no QEMU left running');

    // SIGINT while both provision: every build stops and cleans up.
    await writeFixtureProject(dir, matrixTemplate({ nap: ['a', 'b'] }, 'sleep 600 # {{ var `nap` }}'));
    const runDirsBefore = new Set((await readdir(tmpdir())).filter((d) => d.startsWith('kiln-run-')));
    let sent = false;
    const { done } = spawnKiln(['build', '--json', '--parallel', '2', '--var', `iso=${iso}`, 'kiln.yaml'], {
      cwd: dir,
      env,
      onStdout: (text, child) => {
        const provisioning = eventsOf(text).filter((e) => e.type === 'step-started' && e.step === 'provision');
        if (!sent && provisioning.length === 2) sent = child.kill('SIGINT');
      },
    });
    const interrupted = await done;
    assert.ok(sent, `never reached provision in both builds:\n${interrupted.stderr}`);
    assert.is(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /\nmx-a +cancelled +\S+ +-\nmx-b +cancelled +\S+ +-\n0 of 2 builds succeeded\n$/);
    assert.equal(await qemuPids(dir), [], 'a QEMU process survived');
    for (const name of ['mx-a', 'mx-b']) assert.not.ok(existsSync(join(dir, 'out', name, '.kiln-work')), `${name}: work dir left behind`);
    assert.equal((await readdir(tmpdir())).filter((d) => d.startsWith('kiln-run-') && !runDirsBefore.has(d)), [], 'a temp dir was left behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
