// `kiln validate` and `kiln inspect` on a bento-style Packer HCL2 folder (bento-template.ts),
// spawned as a user runs them (Node start-up included), beside Packer 1.6.6's own
// `packer validate` / `packer inspect` on the variant 1.6.6 accepts. Runs are interleaved
// round-robin so that a change in the machine's load hits every case alike.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bentoTemplate, NEWER_FEATURES, VARIABLE_COUNT, type NewerFeature } from './bento-template.js';
import { median, timed, timedWithCpu, type Timed } from './measure.js';

/** The 1 s the issue sets: validate runs in editors and pre-commit hooks. */
const TARGET_MS = 1000;
const VAR_FILE = 'os_pkrvars/debian/debian-x86_64.pkrvars.hcl';
const TEMPLATE_ARGS = ['-var-file', VAR_FILE, 'packer_templates'];
// Packer 1.6.6 phones home for version checks unless told not to; the benchmark runs offline.
const PACKER_ENV = { CHECKPOINT_DISABLE: '1' };

interface Case {
  label: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  ms: number[];
  cpuMs: number[];
}

export async function benchPackerValidate(kiln: string, work: string, runs = 10): Promise<void> {
  const current = await writeTemplate(join(work, 'current'), NEWER_FEATURES);
  const forPacker166 = await writeTemplate(join(work, 'packer-1.6.6'), []);
  // Offline: the folder Packer runs must not ask for plugins (1.6.6 has the qemu, virtualbox
  // and vagrant plugins built in, and no `packer init`; later versions would try to fetch them).
  if (Object.values(bentoTemplate(new Set())).some((text) => text.includes('required_plugins'))) throw new Error('the 1.6.6 variant names required_plugins');
  console.log(`\nPacker template checks: a bento-style folder, 3 files, ${VARIABLE_COUNT} variables, locals nested 10 deep; ${runs} runs each, spawned`);

  const cases: Case[] = [
    kilnCase(kiln, 'validate', current, 'current'),
    kilnCase(kiln, 'inspect', current, 'current'),
    kilnCase(kiln, 'validate', forPacker166, '1.6.6 variant'),
    kilnCase(kiln, 'inspect', forPacker166, '1.6.6 variant'),
    { label: 'node -e 0 (Node start-up alone)', command: process.execPath, args: ['-e', '0'], cwd: work, ms: [], cpuMs: [] },
  ];
  const packerVersion = await installedPackerVersion();
  if (packerVersion === undefined) {
    console.log('  packer not installed: apt-get install packer (kiln\'s numbers alone below)');
  } else {
    console.log(`  ${packerVersion}`);
    await reportRefusals(work);
    cases.push(packerCase('validate', forPacker166), packerCase('inspect', forPacker166));
  }

  // One unmeasured round: it fails loudly if a tool refuses the folder, and warms the file cache.
  for (const c of cases) check(c, await run(c));
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const result = await run(c);
      check(c, result);
      c.ms.push(result.ms);
      c.cpuMs.push(result.cpuMs);
    }
  }

  const width = Math.max(...cases.map((c) => c.label.length));
  console.log(`  ${'case'.padEnd(width)}  wall: median   min-max (ms)   CPU: median (ms)`);
  for (const c of cases) {
    const spread = `${Math.min(...c.ms).toFixed(0)}-${Math.max(...c.ms).toFixed(0)}`;
    console.log(`  ${c.label.padEnd(width)}  ${median(c.ms).toFixed(0).padStart(12)}   ${spread.padEnd(12)}   ${median(c.cpuMs).toFixed(0).padStart(11)}`);
  }
  for (const c of cases.slice(0, 2)) {
    const wall = median(c.ms);
    console.log(`  ${c.label}: ${wall.toFixed(0)} ms median, target ${TARGET_MS} ms: ${wall <= TARGET_MS ? 'met' : 'NOT met'}`);
  }
}

async function writeTemplate(dir: string, features: readonly NewerFeature[]): Promise<string> {
  for (const [path, text] of Object.entries(bentoTemplate(new Set(features)))) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function kilnCase(kiln: string, command: 'validate' | 'inspect', dir: string, variant: string): Case {
  return { label: `kiln ${command} (${variant})`, command: process.execPath, args: [kiln, command, ...TEMPLATE_ARGS], cwd: dir, ms: [], cpuMs: [] };
}

function packerCase(command: 'validate' | 'inspect', dir: string): Case {
  return { label: `packer ${command} (1.6.6 variant)`, command: 'packer', args: [command, ...TEMPLATE_ARGS], cwd: dir, env: PACKER_ENV, ms: [], cpuMs: [] };
}

function run(c: Case): Promise<Timed & { cpuMs: number }> {
  return timedWithCpu(c.command, c.args, { cwd: c.cwd, env: c.env });
}

function check(c: Case, result: Timed): void {
  if (result.code !== 0) throw new Error(`${c.label} failed (exit ${result.code}) in ${c.cwd}:\n${result.stdout}${result.stderr}`);
}

async function installedPackerVersion(): Promise<string | undefined> {
  try {
    const result = await timed('packer', ['version'], { env: PACKER_ENV });
    return result.code === 0 ? result.stdout.trim().split('\n')[0] : undefined;
  } catch {
    return undefined; // spawn ENOENT: not on PATH
  }
}

/** What Packer says about each newer feature, in a folder that has only that one. */
async function reportRefusals(work: string): Promise<void> {
  console.log('  the current form uses features newer than this Packer; each alone:');
  for (const feature of NEWER_FEATURES) {
    const dir = await writeTemplate(join(work, `only ${feature}`), [feature]);
    const result = await timed('packer', ['validate', ...TEMPLATE_ARGS], { cwd: dir, env: PACKER_ENV });
    const reasons = result.code === 0 ? ['accepted'] : errorSummaries(`${result.stdout}\n${result.stderr}`);
    console.log(`    ${feature}: ${reasons.join('; ')}`);
  }
}

/** Each `Error: summary` of Packer's output with the place on the line two below it. */
function errorSummaries(output: string): string[] {
  const lines = output.split('\n');
  const reasons = new Set<string>();
  lines.forEach((line, i) => {
    const summary = /^Error: (.*)/.exec(line.trim());
    const place = /^\s*on (\S+) line (\d+)/.exec(lines[i + 2] ?? '');
    if (summary) reasons.add(`${summary[1]}${place ? ` (${place[1]}:${place[2]})` : ''}`);
  });
  return [...reasons];
}
