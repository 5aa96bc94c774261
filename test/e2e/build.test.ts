// End to end on real QEMU (TCG here): `kiln build` installs the fixture ISO, provisions
// over SSH, shuts down and exports; the exported images must hold what provisioning wrote.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, qemuPids, readGuestFile } from '../helpers/fixtures.js';
import { fixtureTemplate, PASSWORD, TYPED_TAIL, writeFixtureProject } from '../helpers/fixture-template.js';
import { eventsOf, stepsRun } from '../helpers/events.js';
import { runKiln, spawnKiln } from '../helpers/run-kiln.js';

async function project(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `kiln-e2e-${name}-`));
  await writeFixtureProject(dir, fixtureTemplate(name));
  return dir;
}

test('kiln build installs, provisions and exports qcow2 + raw that contain the provisioned files', async () => {
  const iso = await installerIso();
  const dir = await project('e2e');
  try {
    // A private cache: an earlier identical build must not be resumed here.
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
    const out = join(dir, 'out', 'e2e');
    const buildLog = await readFile(join(out, 'build.log'), 'utf8').catch(() => '');
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${buildLog}`);

    const files = (await readdir(out)).sort();
    for (const f of ['build.log', 'e2e.qcow2', 'e2e.raw', 'http.log', 'manifest.json', 'serial.log']) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    assert.not.ok(files.includes('.kiln-work'), 'work dir left behind');

    // The typed line arrived intact on the guest's kernel command line.
    const serial = await readFile(join(out, 'serial.log'), 'latin1');
    const port = /serving http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr)?.[1];
    assert.ok(port, 'no HTTP port in the output');
    const cmdline = /KILN-FIXTURE-CMDLINE: (.*)/.exec(serial)?.[1]?.trim() ?? '';
    assert.ok(cmdline.endsWith(`install ks=http://10.0.2.2:${port}/ks.cfg ${TYPED_TAIL}`) || cmdline.includes(`ks=http://10.0.2.2:${port}/ks.cfg ${TYPED_TAIL}`), `cmdline was: ${cmdline}`);

    // What the provisioners wrote is in both exported images.
    for (const image of ['e2e.qcow2', 'e2e.raw']) {
      assert.is(await readGuestFile(join(out, image), '/etc/kiln-e2e-marker'), 'marker it works\n');
      assert.is(await readGuestFile(join(out, image), '/etc/motd'), 'Welcome to a kiln-built image\n');
      assert.is(await readGuestFile(join(out, image), '/etc/served'), 'served from http.directory\n');
    }

    // The manifest describes the files it sits next to.
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.files.map((f: { file: string }) => f.file), ['e2e.qcow2', 'e2e.raw']);
    assert.match(manifest.files[0].sha256, /^[0-9a-f]{64}$/);
    assert.ok(manifest.steps.some((s: { name: string }) => s.name === 'provision'));
    assert.is(manifest.accelerator, 'tcg');

    // Provisioner output is streamed, and the sensitive variable never shows.
    assert.match(run.stderr, /provision\[0\] shell \| pw=<sensitive>/);
    assert.not.ok(run.stderr.includes(PASSWORD), 'password printed on the terminal');
    assert.not.ok(buildLog.includes(PASSWORD), 'password written to build.log');
    // No cpu_level: under TCG the guest gets qemu64, QEMU's and Packer's default (docs/benchmarks.md run 5).
    assert.match(buildLog, / -cpu qemu64 -smp /);
    assert.match(await readFile(join(out, 'http.log'), 'utf8'), /GET \/ks\.cfg 200/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('SIGINT during the install stops QEMU, removes temp dirs and exits 130', async () => {
  const iso = await installerIso();
  const dir = await project('sigint');
  const runDirsBefore = new Set((await readdir(tmpdir())).filter((d) => /^kiln-run-/.test(d)));
  try {
    let sent = false;
    const { done } = spawnKiln(['build', 'kiln.yaml', '--json', '--var', `iso=${iso}`], {
      cwd: dir,
      env: { XDG_CACHE_HOME: join(dir, 'cache') },
      onStdout: (text, child) => {
        // The boot command has been typed and kiln is waiting for the installed system.
        if (!sent && stepsRun(eventsOf(text)).includes('wait-ssh')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 2000);
        }
      },
    });
    const run = await done;
    assert.ok(sent, `never reached wait-ssh:\n${run.stderr}`);
    assert.is(run.code, 130, run.stderr);
    assert.equal(await qemuPids('kiln-sigint'), [], 'a QEMU process survived');
    assert.not.ok(existsSync(join(dir, 'out', 'sigint', '.kiln-work')), 'work dir left behind');
    assert.not.ok(existsSync(join(dir, 'out', 'sigint', 'sigint.qcow2')), 'an image was left under its final name');
    const runDirsAfter = (await readdir(tmpdir())).filter((d) => /^kiln-run-/.test(d) && !runDirsBefore.has(d));
    assert.equal(runDirsAfter, [], 'a temp dir was left behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
