// The stage cache's benchmark: a full build of the demo, then the same build after
// editing its last provisioner, which resumes from the layer before it. Prints the
// ratio (issue 8's target: at most 10% of a full build) and where the rebuild's time went.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { seconds, timed } from './measure.js';

const LAST_LINE = '        - "chmod 0644 /etc/motd"\n';

export async function benchResume(repo: string, kiln: string, iso: string, dir: string): Promise<{ fullMs: number; resumeMs: number }> {
  await cp(join(repo, 'fixtures', 'demo'), dir, { recursive: true });
  // Its own cache: the first build must not find layers of earlier runs.
  const env = { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') };
  const build = async (what: string) => {
    const run = await timed(process.execPath, [kiln, 'build', 'kiln.yaml', '--force', '--var', `iso=${iso}`, '--var', `output=${join(dir, 'out')}`], { cwd: dir, env });
    if (run.code !== 0) throw new Error(`kiln build (${what}) failed:\n${run.stderr}`);
    return run;
  };
  const full = await build('full');
  const template = join(dir, 'kiln.yaml');
  const text = await readFile(template, 'utf8');
  if (!text.includes(LAST_LINE)) throw new Error(`the demo's last provisioner changed: ${LAST_LINE.trim()} is not in ${template}`);
  await writeFile(template, text.replace(LAST_LINE, `${LAST_LINE}        - "echo edited > /etc/kiln-bench-edit"\n`));
  const resumed = await build('after editing the last provisioner');
  const from = /cache: resuming from (\S+)/.exec(resumed.stderr)?.[1];
  if (!from) throw new Error(`the rebuild did not resume from the cache:\n${resumed.stderr}`);

  const manifest = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
  console.log(`\nkiln stage cache (demo, ${manifest.accelerator})`);
  console.log(`  full build: ${seconds(full.ms)}`);
  console.log(`  after editing the last provisioner: ${seconds(resumed.ms)} (resumed from ${from})`);
  for (const step of manifest.steps.filter((s) => s.status !== 'skipped' && s.ms >= 50)) {
    console.log(`    ${step.name.padEnd(16)} ${(step.ms / 1000).toFixed(2).padStart(7)} s`);
  }
  console.log(`  ratio: ${(resumed.ms / full.ms).toFixed(2)} of a full build (target 0.10)`);
  return { fullMs: full.ms, resumeMs: resumed.ms };
}
