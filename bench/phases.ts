// `npm run bench -- phases [ROUNDS]`: the fixture installer and the fixture cloud image,
// each built by kiln and by Packer 1.6.6 in the same run (the order alternating by
// round, so a change in load hits both), printed side by side phase by phase: the
// guest's from its serial console, the host's from each tool's output. KILN_BENCH_KEEP=DIR
// keeps the stamped serial logs and outputs there.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { formatSideBySide, sideBySide } from '../lib/bench/side-by-side.js';
import { kilnCloudTemplate, PACKER_USER_DATA, packerCloudTemplate } from './cloud-image.js';
import { writePackerDemo } from './packer-demo.js';
import { runStamped, type StampedRun } from '../lib/bench/stamped-run.js';

const PACKER_ENV = (dir: string) => ({ PACKER_LOG: '1', PACKER_LOG_PATH: join(dir, 'packer.log'), CHECKPOINT_DISABLE: '1', PACKER_CACHE_DIR: join(dir, 'cache') });

type Keep = { dir: string; name: string };

interface Fixture {
  title: string;
  kiln(dir: string, keep?: Keep): Promise<StampedRun>;
  packer(dir: string, keep?: Keep): Promise<StampedRun>;
}

export async function benchPhases(repo: string, kiln: string, work: string, options: { rounds: number; withPacker: boolean; keep?: string }): Promise<void> {
  const fixtures = [installerFixture(repo, kiln), cloudFixture(repo, kiln)];
  for (const fixture of fixtures) {
    for (let round = 1; round <= options.rounds; round++) {
      const dir = join(work, `${fixture.title.split(' (')[0]!.replace(/\W+/g, '-')}-${round}`);
      if (options.keep) await mkdir(options.keep, { recursive: true });
      const tag = (tool: string): Keep | undefined => options.keep ? { dir: options.keep, name: `${fixture.title.split(' (')[0]!.replace(/\W+/g, '-')}-${round}-${tool}` } : undefined;
      let kilnRun: StampedRun;
      let packerRun: StampedRun | undefined;
      // Alternate who goes first: a load that changes during the run then favours neither.
      if (options.withPacker && round % 2 === 0) {
        packerRun = await fixture.packer(join(dir, 'packer'), tag('packer'));
        kilnRun = await fixture.kiln(join(dir, 'kiln'), tag('kiln'));
      } else {
        kilnRun = await fixture.kiln(join(dir, 'kiln'), tag('kiln'));
        if (options.withPacker) packerRun = await fixture.packer(join(dir, 'packer'), tag('packer'));
      }
      const title = `${fixture.title}, round ${round} of ${options.rounds}${round % 2 === 0 ? ' (Packer first)' : ''}`;
      console.log(`\n${formatSideBySide(title, sideBySide(kilnRun, packerRun), 'Packer 1.6.6')}`);
    }
  }
}

function installerFixture(repo: string, kiln: string): Fixture {
  const iso = () => execFileSync('bash', [join(repo, 'fixtures', 'build-installer-iso.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return {
    title: 'fixture installer (demo template, libvirt box)',
    async kiln(dir, keep) {
      await cp(join(repo, 'fixtures', 'demo'), dir, { recursive: true });
      const file = join(dir, 'kiln.yaml');
      const doc = parseDocument(await readFile(file, 'utf8'));
      doc.setIn(['output', 'vagrant'], { provider: 'libvirt' }); // kiln's default box level
      await writeFile(file, doc.toString());
      return runStamped({
        tool: 'kiln',
        command: process.execPath,
        args: [kiln, 'build', 'kiln.yaml', '--json', '--force', '--var', `iso=${iso()}`, '--var', `output=${join(dir, 'out')}`],
        cwd: dir,
        env: { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') },
        serialLog: join(dir, 'out', 'serial.log'),
        ...(keep ? { keep } : {}),
      });
    },
    async packer(dir, keep) {
      const { serialLog } = await writePackerDemo(repo, dir, iso());
      return runPacker(dir, serialLog, keep);
    },
  };
}

function cloudFixture(repo: string, kiln: string): Fixture {
  const image = () => execFileSync('bash', [join(repo, 'fixtures', 'build-cloud-image.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return {
    title: 'fixture cloud image (Debian 12, cloud-init)',
    async kiln(dir, keep) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'kiln.yaml'), kilnCloudTemplate(image(), join(dir, 'out')));
      return runStamped({
        tool: 'kiln',
        command: process.execPath,
        args: [kiln, 'build', 'kiln.yaml', '--json', '--force'],
        cwd: dir,
        env: { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') },
        serialLog: join(dir, 'out', 'serial.log'),
        ...(keep ? { keep } : {}),
      });
    },
    async packer(dir, keep) {
      await mkdir(join(dir, 'http'), { recursive: true });
      await writeFile(join(dir, 'http', 'user-data'), PACKER_USER_DATA);
      await writeFile(join(dir, 'http', 'meta-data'), 'instance-id: packer-cloud-bench\nlocal-hostname: cloud-bench\n');
      await writeFile(join(dir, 'packer.json'), JSON.stringify(packerCloudTemplate(image(), dir), null, 2));
      return runPacker(dir, join(dir, 'serial.log'), keep);
    },
  };
}

function runPacker(dir: string, serialLog: string, keep?: Keep): Promise<StampedRun> {
  return runStamped({
    tool: 'packer',
    command: 'packer',
    args: ['build', '-force', 'packer.json'],
    cwd: dir,
    env: PACKER_ENV(dir),
    serialLog,
    ...(keep ? { keep } : {}),
  });
}
