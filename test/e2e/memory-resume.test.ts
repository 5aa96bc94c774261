// End to end on real QEMU (TCG): memory checkpoints. A full build keeps the guest's
// memory with each live checkpoint (or, for a quick stage taken while an earlier one is
// still being written, the disk only); editing the last provisioner restores the running
// guest after the first one, or after the install when the first kept no memory (no
// kernel boot), steps its clock and runs only what follows it. A state saved on another machine (a different CPU count) and a truncated
// state are not used: the build boots the disk and says why.
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, qemuPids, readGuestFile } from '../helpers/fixtures.js';
import { eventOf, type KilnEvent, eventsOf } from '../helpers/events.js';
import { twoProvisionerTemplate } from '../helpers/two-provisioner-template.js';
import { runKiln } from '../helpers/run-kiln.js';

const TEMPLATE = (cpus: number) => twoProvisionerTemplate({ name: 'memory', cpus });

const LAST = (version: string) => `#!/bin/sh\necho GUEST-TIME $(date +%s)\necho ${version} > /etc/kiln-last\n`;

let dir = '';
let xdg = '';
let iso = '';
const timings: string[] = [];

test.before(async () => {
  iso = await installerIso();
  dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-memory-'));
  xdg = await mkdtemp(join(tmpdir(), 'kiln-e2e-memory-cache-'));
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE(2));
  await mkdir(join(dir, 'scripts'));
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v1'));
});

test.after(async () => {
  if (timings.length) console.log(`\n  memory resume e2e builds: ${timings.join(', ')}`);
  assert.equal(await qemuPids('kiln-memory'), [], 'a QEMU process survived');
  await rm(dir, { recursive: true, force: true });
  await rm(xdg, { recursive: true, force: true });
});

async function build(what: string) {
  const begin = Date.now();
  const run = await runKiln(['build', 'kiln.yaml', '--json', '--force', '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: xdg } });
  timings.push(`${what} ${((Date.now() - begin) / 1000).toFixed(1)} s`);
  const log = await readFile(join(dir, 'out', 'build.log'), 'utf8').catch(() => '');
  assert.is(run.code, 0, `kiln build (${what}) failed:\n${run.stderr}\n--- build.log ---\n${log}`);
  return { ...run, events: eventsOf(run.stdout), begin: begin / 1000, end: Date.now() / 1000 };
}

type Restore = KilnEvent & { stage: string; restored: boolean; ms?: number; why?: string };
const restoreOf = (events: KilnEvent[]) => eventOf(events, 'restore') as Restore;
const ran = (events: KilnEvent[], n: number) => events.some((e) => e.type === 'log' && String(e.message).startsWith(`provision[${n}] shell: `));
const serialLog = () => readFile(join(dir, 'out', 'serial.log'), 'latin1');
const manifest = async () => JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8'));
const guest = (path: string) => readGuestFile(join(dir, 'out', 'memory.qcow2'), path);
/** The guest's clock as the last provisioner printed it. */
const guestTime = (events: KilnEvent[]) => Number(events.map((e) => /GUEST-TIME (\d+)/.exec(String(e.line ?? ''))?.[1]).find(Boolean));

async function layerOf(stage: string): Promise<{ dir: string; record: Record<string, any> }> {
  const root = join(xdg, 'kiln', 'layers');
  for (const id of await readdir(root)) {
    const record = await readFile(join(root, id, 'layer.json'), 'utf8').then(JSON.parse, () => undefined);
    if (record?.stage === stage) return { dir: join(root, id), record };
  }
  throw new Error(`no layer for ${stage}`);
}

/**
 * Where a build that edits the last provisioner resumes: provision[0] when its layer kept
 * memory; the install when provision[0] ran while the install's memory was still being
 * written (its layer then keeps the disk only, and it runs again on the restored guest).
 */
let restoredFrom: 'install' | 'provision[0]';

test('a full build keeps the guest memory with each live checkpoint, or the disk only while an earlier one is still being written, and none with the powered-off one', async () => {
  const { events } = await build('full');
  assert.equal(events.filter((e) => e.type === 'checkpoint').map((e) => e.stage), ['install', 'provision[0]', 'provision[1]', 'shutdown']);
  const snapshots = events.filter((e) => e.type === 'snapshot') as (KilnEvent & { stage: string; memory: string; paused_ms: number })[];
  assert.equal(snapshots.map((e) => e.stage), ['install', 'provision[0]', 'provision[1]']);
  assert.ok(['background', 'saved'].includes(snapshots[0]!.memory), `the install kept no memory: ${snapshots[0]!.memory}`);
  for (const { stage, memory } of snapshots) {
    const { record } = await layerOf(stage);
    if (memory === 'skipped') {
      assert.equal([record.memory, record.memorySkipped], [undefined, true], `${stage}: skipped, so recorded as skipped`);
      continue;
    }
    assert.ok(record.memory?.bytes > 0 && /^[0-9a-f]{64}$/.test(record.memory.sha256), `${stage} kept no memory (${memory})`);
    assert.is(record.memory.fingerprint.accelerator, 'tcg');
    assert.is(record.memorySkipped, undefined);
  }
  restoredFrom = (await layerOf('provision[0]')).record.memory ? 'provision[0]' : 'install';
  assert.is((await layerOf('shutdown')).record.memory, undefined);
  assert.match(await serialLog(), /Linux version/, 'the check for kernel boot lines below could never fail');
  const ls = await runKiln(['cache', 'ls'], { env: { XDG_CACHE_HOME: xdg } });
  assert.match(ls.stdout, /MEMORY/);
});

test('editing the last provisioner restores the running guest: no boot, its clock stepped, only what follows the restored layer runs', async () => {
  await new Promise((resolve) => setTimeout(resolve, 8_000)); // the state sits in the cache; the guest's clock must not
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v2'));
  const { events, begin, end } = await build('edit last provisioner (restore)');
  const restore = restoreOf(events);
  assert.equal([restore.stage, restore.restored], [restoredFrom, true]);
  assert.not.match(await serialLog(), /Linux version/, 'the restored guest booted a kernel');
  assert.is(ran(events, 0), restoredFrom === 'install', 'provision[0] runs again exactly when its layer kept no memory');
  assert.ok(ran(events, 1));
  const time = guestTime(events);
  assert.ok(time >= begin - 2 && time <= end + 2, `the guest's clock says ${time}, the build ran from ${Math.round(begin)} to ${Math.round(end)}`);
  const m = await manifest();
  assert.equal([m.resumed.from, m.resumed.restored_memory, typeof m.resumed.restore_ms], [restoredFrom, true, 'number']);
  // Run again on a restored guest (nothing was being written), provision[0] keeps its memory now.
  assert.ok((await layerOf('provision[0]')).record.memory, 'provision[0] kept no memory');
  assert.is(await guest('/etc/kiln-first'), 'first\n');
  assert.is(await guest('/etc/kiln-last'), 'v2\n');
});

test('a state saved on another machine (CPU count) is not restored: the disk boots, and the build says why', async () => {
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE(1));
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v3'));
  const { events, stderr } = await build('other CPU count (boot)');
  const restore = restoreOf(events);
  assert.equal([restore.stage, restore.restored], ['provision[0]', false]);
  assert.match(restore.why ?? '', /CPU count: saved with 2, this build has 1/);
  assert.match(stderr, /booting the disk of provision\[0\] instead of restoring its guest: .*CPU count/);
  assert.match(await serialLog(), /Linux version/);
  assert.equal([(await manifest()).resumed.restored_memory, ran(events, 0), ran(events, 1)], [false, false, true]);
  assert.is(await guest('/etc/kiln-last'), 'v3\n');
});

test('a truncated state is rejected by its checksum: the disk boots, and the build says why', async () => {
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE(2));
  const { dir: p0 } = await layerOf('provision[0]');
  const state = join(p0, 'state.zst');
  await truncate(state, Math.floor((await readFile(state)).length / 2));
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v4'));
  const { events, stderr } = await build('truncated state (boot)');
  const restore = restoreOf(events);
  assert.equal([restore.stage, restore.restored], ['provision[0]', false]);
  assert.match(restore.why ?? '', /truncated or replaced/);
  assert.match(stderr, /booting the resumed disk instead of restoring the guest: the saved memory of layer .* \(provision\[0\]\) is \d+ bytes/);
  assert.match((await manifest()).resumed.booted_because, /truncated/);
  assert.is(await guest('/etc/kiln-last'), 'v4\n');
});

test.run();
