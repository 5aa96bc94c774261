// `npm run bench`: builds the demo with kiln and prints each step's duration, the typing
// rate and `kiln --version` start-up, the stage cache's resume, and a cloud-image build;
// when packer is installed, builds the same fixtures with Packer's qemu builder in the
// same run and prints kiln/Packer ratios. First, the Packer-template checks
// (packer-validate.ts); `npm run bench -- validate` runs only those (no VM),
// `npm run bench -- package-cache` only the guest package cache's (package-cache.ts),
// `npm run bench -- phases [ROUNDS]` only the per-phase side-by-side (phases.ts), and
// `npm run bench -- qemu [ROUNDS] [installer|cloud] [VARIANT...]` only QEMU option variants.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countKeyPresses } from '../lib/keyboard/stats.js';
import { parseBootCommand } from '../lib/keyboard/parse.js';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { median, packerLogSpan, seconds, timed } from './measure.js';
import { BOOT_LINE, writePackerDemo } from './packer-demo.js';
import { benchCloudImage } from './cloud-image.js';
import { benchPackageCache } from './package-cache.js';
import { benchResume } from './resume.js';
import { benchPackerValidate } from './packer-validate.js';
import { benchPhases } from './phases.js';
import { benchQemuOptions } from './qemu-options.js';
import { compareBoxes, kilnBoxLine, withLibvirtBox } from './vagrant-box.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const KILN = join(REPO, 'bin', 'kiln.js');

async function main(): Promise<void> {
  if (process.argv[2] === 'package-cache') {
    const work = await mkdtemp(join(tmpdir(), 'kiln-bench-package-cache-'));
    try {
      return await benchPackageCache(REPO, KILN, work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  if (process.argv[2] === 'phases') return phasesOnly(Number(process.argv[3] ?? 1));
  if (process.argv[2] === 'qemu') return qemuOptionsOnly(Number(process.argv[3] ?? 2), process.argv[4] === 'cloud' ? 'cloud' : 'installer', process.argv.slice(5));
  const checksOnly = process.argv[2] === 'validate';
  const checksWork = await mkdtemp(join(tmpdir(), 'kiln-bench-validate-'));
  try {
    await benchPackerValidate(KILN, checksWork);
  } finally {
    await rm(checksWork, { recursive: true, force: true });
  }
  if (checksOnly) return;
  const iso = execFileSync('bash', [join(REPO, 'fixtures', 'build-installer-iso.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const work = await mkdtemp(join(tmpdir(), 'kiln-bench-'));
  try {
    const versionRuns: number[] = [];
    for (let i = 0; i < 10; i++) versionRuns.push((await timed(process.execPath, [KILN, '--version'])).ms);
    console.log(`kiln --version: ${median(versionRuns).toFixed(0)} ms (median of 10)`);

    const kiln = await benchKiln(iso, join(work, 'kiln'));
    await benchResume(REPO, KILN, iso, join(work, 'resume'));
    const withPacker = await hasPacker();
    await benchPhases(REPO, KILN, join(work, 'phases'), { rounds: 1, withPacker, keep: process.env.KILN_BENCH_KEEP });
    const packer = withPacker ? await benchPacker(iso, join(work, 'packer')) : undefined;
    await benchCloudImage(REPO, KILN, join(work, 'cloud'), withPacker);
    if (!packer) {
      console.log('\npacker is not installed: no comparison (apt-get install packer)');
      return;
    }
    console.log('\nkiln / Packer');
    console.log(`  whole build: ${seconds(kiln.totalMs)} / ${seconds(packer.totalMs)} = ${(kiln.totalMs / packer.totalMs).toFixed(2)}`);
    if (packer.typingMs !== undefined) {
      const packerRate = (packer.keys * 1000) / Math.max(packer.typingMs, 1000);
      console.log(`  typing: ${kiln.keysPerSecond.toFixed(0)} keys/s / ${packerRate.toFixed(1)} keys/s = ${(kiln.keysPerSecond / packerRate).toFixed(0)}x faster`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchKiln(iso: string, dir: string) {
  await cp(join(REPO, 'fixtures', 'demo'), dir, { recursive: true });
  await withLibvirtBox(join(dir, 'kiln.yaml')); // both tools also pack a libvirt Vagrant box
  // The demo's default output is the repo's output/demo; keep benchmark runs apart.
  const run = await timed(process.execPath, [KILN, 'build', 'kiln.yaml', '--force', '--var', `iso=${iso}`, '--var', `output=${join(dir, 'out')}`], {
    cwd: dir,
    // Its own stage cache, so that this is a full build whatever ran before.
    env: { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') },
  });
  if (run.code !== 0) throw new Error(`kiln build failed:\n${run.stderr}`);
  const manifest = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8')) as Manifest;
  console.log(`\nkiln build of the demo: ${seconds(run.ms)} (accelerator ${manifest.accelerator})`);
  for (const step of manifest.steps) console.log(`  ${step.name.padEnd(16)} ${(step.ms / 1000).toFixed(2).padStart(7)} s`);
  const typing = manifest.typing ?? { keys: 0, ms: 0 };
  const keysPerSecond = typing.ms > 0 ? (typing.keys * 1000) / typing.ms : 0;
  console.log(`  typing: ${typing.keys} keys in ${typing.ms} ms = ${keysPerSecond.toFixed(0)} keys/s`);
  for (const f of manifest.files) console.log(`  ${f.file}: ${(f.bytes / 1048576).toFixed(1)} MiB`);
  console.log(kilnBoxLine(manifest));
  return { totalMs: run.ms, keysPerSecond };
}

async function phasesOnly(rounds: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'kiln-bench-phases-'));
  try {
    await benchPhases(REPO, KILN, work, { rounds, withPacker: await hasPacker(), keep: process.env.KILN_BENCH_KEEP });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function qemuOptionsOnly(rounds: number, fixture: 'installer' | 'cloud', only: string[]): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'kiln-bench-qemu-'));
  try {
    const keep = process.env.KILN_BENCH_KEEP;
    await benchQemuOptions(REPO, KILN, work, { rounds, fixture, ...(only.length ? { only } : {}), ...(keep ? { keep } : {}) });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function hasPacker(): Promise<boolean> {
  return (await timed('sh', ['-c', 'command -v packer'])).code === 0;
}

async function benchPacker(iso: string, dir: string) {
  const { box: packerBox } = await writePackerDemo(REPO, dir, iso);
  const logPath = join(dir, 'packer.log');
  const run = await timed('packer', ['build', '-force', 'packer.json'], {
    cwd: dir,
    env: { PACKER_LOG: '1', PACKER_LOG_PATH: logPath, CHECKPOINT_DISABLE: '1', PACKER_CACHE_DIR: join(dir, 'cache') },
  });
  if (run.code !== 0) throw new Error(`packer build failed:\n${run.stdout}\n${run.stderr}`);
  const log = await readFile(logPath, 'utf8');
  const typingMs = packerLogSpan(log, /Typing the boot command/, /Waiting for SSH to become available/);
  const keys = countKeyPresses(parseBootCommand(BOOT_LINE.replace('{{ .HTTPIP }}', '10.0.2.2').replace('{{ .HTTPPort }}', '8000')));
  console.log(`\npacker build of the same fixture: ${seconds(run.ms)}`);
  if (typingMs !== undefined) console.log(`  typing: ${keys} keys in about ${seconds(typingMs)} (1 s log resolution)`);
  await compareBoxes(log, packerBox, join(dir, 'out', 'demo.qcow2'), dir);
  return { totalMs: run.ms, typingMs, keys };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
