// The stage cache's benchmark: a full build of the demo, then two rebuilds after
// editing its last provisioner, both resuming from the layer before it: one restores
// that layer's running guest (memory checkpoints), the other boots its disk
// (cache: { memory: false }). Prints each as a ratio to the full build (issue 18's
// target: at most 0.10) and where each rebuild's time went.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { seconds, timed } from './measure.js';

const LAST_LINE = '        - "chmod 0644 /etc/motd"\n';
const SHUTDOWN = 'shutdown:\n';

export interface ResumeFigures {
  fullMs: number;
  memoryMs: number;
  diskMs: number;
}

export async function benchResume(repo: string, kiln: string, iso: string, dir: string): Promise<ResumeFigures> {
  await cp(join(repo, 'fixtures', 'demo'), dir, { recursive: true });
  // Its own cache: the first build must not find layers of earlier runs.
  const env = { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') };
  const template = join(dir, 'kiln.yaml');
  const original = await readFile(template, 'utf8');
  if (!original.includes(LAST_LINE) || !original.includes(SHUTDOWN)) throw new Error(`the demo changed: ${LAST_LINE.trim()} or ${SHUTDOWN.trim()} is not in ${template}`);
  const build = async (what: string) => {
    const run = await timed(process.execPath, [kiln, 'build', 'kiln.yaml', '--force', '--var', `iso=${iso}`, '--var', `output=${join(dir, 'out')}`], { cwd: dir, env });
    if (run.code !== 0) throw new Error(`kiln build (${what}) failed:\n${run.stderr}`);
    const manifest = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
    return { ...run, manifest };
  };
  const edit = (marker: string, extra = '') =>
    writeFile(template, original.replace(LAST_LINE, `${LAST_LINE}        - "echo ${marker} > /etc/kiln-bench-edit"\n`).replace(SHUTDOWN, `${extra}${SHUTDOWN}`));

  const full = await build('full');
  const checkpoints = [...full.stderr.matchAll(/checkpoint (\S+): layer \S+ \((\d+) ms; memory (\S+), guest paused (\d+) ms\)/g)];
  await edit('memory');
  const memory = await build('edited, memory resume');
  await edit('disk', 'cache: { memory: false }\n');
  const disk = await build('edited, disk-only resume');

  console.log(`\nkiln stage cache (demo, ${full.manifest.accelerator})`);
  console.log(`  full build: ${seconds(full.ms)}`);
  for (const [, stage, , bytes, pause] of checkpoints) console.log(`    checkpoint ${stage!.padEnd(13)} memory ${bytes!.padStart(5)}, guest paused ${pause} ms`);
  for (const [what, run] of [['memory resume', memory], ['disk-only resume', disk]] as const) {
    const resumed = run.manifest.resumed;
    if (!resumed) throw new Error(`the ${what} rebuild did not resume from the cache:\n${run.stderr}`);
    const how = resumed.restored_memory ? `restored the guest in ${resumed.restore_ms} ms` : `booted${resumed.booted_because ? ` (${resumed.booted_because})` : ''}`;
    console.log(`  after editing the last provisioner, ${what}: ${seconds(run.ms)} = ${(run.ms / full.ms).toFixed(2)} of a full build (resumed from ${resumed.from}, ${how})`);
    for (const step of run.manifest.steps.filter((s) => s.status !== 'skipped' && s.ms >= 50)) {
      console.log(`    ${step.name.padEnd(16)} ${(step.ms / 1000).toFixed(2).padStart(7)} s`);
    }
  }
  console.log('  target: 0.10 of a full build');
  return { fullMs: full.ms, memoryMs: memory.ms, diskMs: disk.ms };
}
