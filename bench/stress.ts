// `npm run stress` (not part of npm test; run it under the VM lock on a shared machine):
// a 4-build matrix on the fixture installer, all four at once. Every build must succeed
// with its own image (no port, socket or work-dir clash) and the install must be made
// once. Then, from that cached install, two more builds one after the other and two at
// once: the wall times say whether running builds together pays on this host.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureTemplate, writeFixtureProject } from '../test/helpers/fixture-template.js';
import { readGuestFile } from '../test/helpers/fixtures.js';
import { seconds, timed } from './measure.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const KILN = join(REPO, 'bin', 'kiln.js');

async function writeMatrix(dir: string, values: string[]): Promise<void> {
  const t = fixtureTemplate('stress');
  await writeFixtureProject(dir, {
    ...t,
    variables: { ...t.variables, flavour: values[0] },
    matrix: { flavour: values },
    provision: [{ shell: { inline: ['echo "flavour {{ var `flavour` }}" | sudo tee /etc/kiln-flavour'] } }],
    output: { directory: 'out/{{ .Name }}', formats: ['qcow2'] },
  });
}

async function build(dir: string, iso: string, parallel: number): Promise<{ ms: number; stdout: string }> {
  const run = await timed(process.execPath, [KILN, 'build', '--json', '--parallel', String(parallel), '--var', `iso=${iso}`, 'kiln.yaml'], { cwd: dir, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
  if (run.code !== 0) throw new Error(`kiln build --parallel ${parallel} failed (exit ${run.code}):\n${run.stderr}`);
  return { ms: run.ms, stdout: run.stdout };
}

async function main(): Promise<void> {
  const iso = execFileSync('bash', [join(REPO, 'fixtures', 'build-installer-iso.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const dir = await mkdtemp(join(tmpdir(), 'kiln-stress-'));
  try {
    const flavours = ['a', 'b', 'c', 'd'];
    await writeMatrix(dir, flavours);
    const four = await build(dir, iso, 4);
    for (const f of flavours) {
      const text = await readGuestFile(join(dir, 'out', `stress-${f}`, `stress-${f}.qcow2`), '/etc/kiln-flavour');
      if (text !== `flavour ${f}\n`) throw new Error(`stress-${f}: /etc/kiln-flavour is ${JSON.stringify(text)}`);
    }
    const installs = four.stdout.split('\n').filter((l) => l.includes('"type":"checkpoint"') && l.includes('"stage":"install"')).length;
    if (installs !== 1) throw new Error(`the install was stored ${installs} times, not once`);
    console.log(`4 builds at once on ${availableParallelism()} cores: all succeeded, one install, ${seconds(four.ms)} wall`);

    // From the cached install: only boot, provision, shutdown and export differ.
    await writeMatrix(dir, ['e', 'f']);
    const serial = await build(dir, iso, 1);
    await writeMatrix(dir, ['g', 'h']);
    const together = await build(dir, iso, 2);
    console.log(`2 builds from a cached install: one after the other ${seconds(serial.ms)}, both at once ${seconds(together.ms)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
