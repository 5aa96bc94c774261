// `npm run bench -- qemu [ROUNDS] [FIXTURE]`: kiln's build of the fixture installer (or
// `cloud`: the fixture cloud image) with QEMU options varied one at a time: the TCG CPU
// model, the translation cache size, the drive's cache and detect-zeroes modes. The
// variants run in turn within each round, the order rotating by round, and each prints
// its guest phases, so a default changes only on a difference seen within one run.
// `npm run bench -- qemu 2 installer max qemu64` runs those two variants; a name that is no
// variant's whole name picks every variant it begins (`"max without"`).
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { phaseRows } from '../lib/bench/guest-phases.js';
import { kilnCloudTemplate } from './cloud-image.js';
import { runStamped, type StampedRun } from '../lib/bench/stamped-run.js';
import { TCG_CPU_MODELS } from '../lib/hypervisor/qemu/argv.js';

export interface QemuVariant {
  name: string;
  cpuModel?: string;
  /** sed expressions applied to each QEMU argument (through a wrapper binary). */
  rewrite?: string[];
}

/** AVX and the extensions built on it, which QEMU 7.2's TCG emulates (slowly) under `max`. */
export const NO_AVX = 'max,avx=off,avx2=off,fma=off,f16c=off,vaes=off,vpclmulqdq=off';

export const VARIANTS: QemuVariant[] = [
  { name: 'max', cpuModel: 'max' },
  // kiln's TCG default since run 5 (QEMU's and Packer's): for guests that need no more than x86-64.
  { name: 'qemu64' },
  { name: 'max without AVX', cpuModel: NO_AVX },
  // No XSAVE takes AVX with it, keeps x86-64-v2, and the kernel switches context with FXSAVE as under qemu64.
  { name: 'max without XSAVE', cpuModel: 'max,xsave=off' },
  // x86-64-v3 kept (AVX2 for RHEL 10), only 5-level paging off: TCG walks four levels per TLB miss, not five.
  { name: 'max without LA57', cpuModel: 'max,la57=off' },
  // x86-64-v2 with neither AVX, XSAVE nor 5-level paging: what qemu64 lacks, without what TCG runs slowly.
  { name: 'max without AVX, XSAVE, LA57', cpuModel: `${NO_AVX},xsave=off,la57=off` },
  // A named x86-64-v2 model (SSE4.2, POPCNT; no AVX, no XSAVE).
  { name: 'Nehalem', cpuModel: 'Nehalem-v1' },
  // qemu64 plus what x86-64-v2 adds to it, nothing else: kiln's for cpu_level x86-64-v2 (RHEL 9), its default in run 4.
  { name: 'qemu64 with x86-64-v2', cpuModel: TCG_CPU_MODELS['x86-64-v2'] },
  // kiln's translation cache until this measurement: QEMU's default is 1 GiB.
  { name: 'max, tb-size 512', cpuModel: 'max', rewrite: ['s/^tcg,thread=[a-z]*$/&,tb-size=512/'] },
  { name: 'max, cache=writeback, detect-zeroes off', cpuModel: 'max', rewrite: ['s/cache=unsafe/cache=writeback/', 's/,detect-zeroes=unmap//'] },
];

export async function benchQemuOptions(repo: string, kiln: string, work: string, options: { rounds: number; fixture: 'installer' | 'cloud'; only?: string[]; keep?: string }): Promise<void> {
  if (options.keep) await mkdir(options.keep, { recursive: true });
  // A name that is a variant's whole name picks that one only ("max"); else every variant it begins.
  const picks = (o: string, v: QemuVariant) => v.name === o || (!VARIANTS.some((x) => x.name === o) && v.name.startsWith(`${o} `));
  const variants = VARIANTS.filter((v) => !options.only || options.only.some((o) => picks(o, v)));
  const results = new Map<string, StampedRun[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]!;
      const dir = join(work, `${round}-${i}`);
      const keep = options.keep ? { dir: options.keep, name: `${round + 1}-${variant.name.replace(/\W+/g, '-')}` } : undefined;
      const run = await buildWith(repo, kiln, dir, variant, options.fixture, keep);
      results.set(variant.name, [...(results.get(variant.name) ?? []), run]);
      console.log(`round ${round + 1}, ${variant.name}: ${(run.wholeMs / 1000).toFixed(1)} s`);
    }
  }
  for (const variant of variants) {
    console.log(`\n${variant.name} (${options.fixture}), per round:`);
    for (const run of results.get(variant.name) ?? []) {
      const rows = phaseRows(run.guest).map((r) => `${r.label} ${((r.kiln ?? 0) / 1000).toFixed(1)}`);
      console.log(`  whole ${(run.wholeMs / 1000).toFixed(1)} s | ${rows.join(' | ')}`);
    }
  }
}

async function buildWith(repo: string, kiln: string, dir: string, variant: QemuVariant, fixture: 'installer' | 'cloud', keep?: { dir: string; name: string }): Promise<StampedRun> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'kiln.yaml');
  const args = [kiln, 'build', 'kiln.yaml', '--json', '--force'];
  if (fixture === 'installer') {
    await cp(join(repo, 'fixtures', 'demo'), dir, { recursive: true });
    const iso = execFileSync('bash', [join(repo, 'fixtures', 'build-installer-iso.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
    args.push('--var', `iso=${iso}`, '--var', `output=${join(dir, 'out')}`);
  } else {
    const image = execFileSync('bash', [join(repo, 'fixtures', 'build-cloud-image.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
    await writeFile(file, kilnCloudTemplate(image, join(dir, 'out')));
  }
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (variant.cpuModel) doc.setIn(['machine', 'qemu', 'cpu_model'], variant.cpuModel);
  if (variant.rewrite) doc.setIn(['machine', 'qemu', 'binary'], await wrapper(dir, variant.rewrite));
  await writeFile(file, doc.toString());
  return runStamped({
    tool: 'kiln',
    command: process.execPath,
    args,
    cwd: dir,
    env: { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') },
    serialLog: join(dir, 'out', 'serial.log'),
    ...(keep ? { keep } : {}),
  });
}

/** A qemu-system-x86_64 that rewrites its arguments, for options kiln's template does not expose. */
async function wrapper(dir: string, sed: string[]): Promise<string> {
  const path = join(dir, 'qemu-system-x86_64');
  const script = `#!/bin/sh
for arg do
  shift
  set -- "$@" "$(printf '%s\\n' "$arg" | sed ${sed.map((e) => `-e '${e}'`).join(' ')})"
done
exec /usr/bin/qemu-system-x86_64 "$@"
`;
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}
