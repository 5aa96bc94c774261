// End to end on real QEMU: the stage cache. A full build stores a layer per stage; editing
// the last provisioner resumes from the layer before it; an unchanged template needs no
// VM at all; a corrupted layer is noticed and rebuilt; editing the answer file reruns
// everything. Each image must hold the new results and none of the old.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, qemuPids, readGuestFile } from '../helpers/fixtures.js';
import { eventOf, eventsOf, stepsRun, type KilnEvent } from '../helpers/events.js';
import { rejection } from '../helpers/rejection.js';
import { twoProvisionerTemplate } from '../helpers/two-provisioner-template.js';
import { runKiln, type KilnRun } from '../helpers/run-kiln.js';

// Disk layers only: which layer a build resumes from must not depend on whether a quick
// stage's memory checkpoint was skipped (memory-resume.test.ts covers memory).
const TEMPLATE = (hostname: string) => twoProvisionerTemplate({ name: 'resume', hostname, memory: false });

const LAST = (version: string) => `#!/bin/sh\nrm -f /etc/kiln-last-*\necho ${version} > /etc/kiln-last-${version}\necho ${version} > /etc/kiln-last\n`;

let dir = '';
let xdg = '';
let iso = '';
const timings: string[] = [];

test.before(async () => {
  // The fixture ISO is found (or built) in the real cache before kiln gets its own.
  iso = await installerIso();
  dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-resume-'));
  xdg = await mkdtemp(join(tmpdir(), 'kiln-e2e-resume-cache-'));
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE('resume-v1'));
  await mkdir(join(dir, 'scripts'));
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v1'));
});

test.after(async () => {
  if (timings.length) console.log(`\n  resume e2e builds: ${timings.join(', ')}`);
  assert.equal(await qemuPids('kiln-resume'), [], 'a QEMU process survived');
  await rm(dir, { recursive: true, force: true });
  await rm(xdg, { recursive: true, force: true });
});

async function build(what: string): Promise<KilnRun & { events: KilnEvent[] }> {
  const begin = Date.now();
  const run = await runKiln(['build', 'kiln.yaml', '--json', '--force', '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: xdg } });
  timings.push(`${what} ${((Date.now() - begin) / 1000).toFixed(1)} s`);
  const log = await readFile(join(dir, 'out', 'build.log'), 'utf8').catch(() => '');
  assert.is(run.code, 0, `kiln build (${what}) failed:\n${run.stderr}\n--- build.log ---\n${log}`);
  return { ...run, events: eventsOf(run.stdout) };
}

/** What the stage cache decided, from the --json `cache` event. */
const cacheOf = (events: KilnEvent[]) => eventOf(events, 'cache') as KilnEvent & { resumed_from: string | null; cached: number; stages: number; next?: string };
/** Whether provisioner N ran (its log line through the event stream). */
const ran = (events: KilnEvent[], n: number) => events.some((e) => e.type === 'log' && String(e.message).startsWith(`provision[${n}] shell: `));

const image = () => join(dir, 'out', 'resume.qcow2');
const guest = (path: string) => readGuestFile(image(), path);

async function layersByStage(): Promise<Map<string, string>> {
  const root = join(xdg, 'kiln', 'layers');
  const byStage = new Map<string, string>();
  for (const id of await readdir(root)) {
    const record = await readFile(join(root, id, 'layer.json'), 'utf8').then(JSON.parse, () => undefined);
    if (record) byStage.set(record.stage, id);
  }
  return byStage;
}

// The cases below run in order on one project (dir) and one stage cache (xdg): each one
// after this first starts from the layers and the files the cases before it left.
test('a full build stores a layer per stage', async () => {
  const { events } = await build('full');
  const cache = cacheOf(events);
  assert.equal([cache.resumed_from, cache.cached, cache.stages], [null, 0, 4]);
  assert.match(cache.next ?? '', /^install: not in the cache yet/);
  assert.equal(events.filter((e) => e.type === 'checkpoint').map((e) => e.stage), ['install', 'provision[0]', 'provision[1]', 'shutdown']);
  assert.is(await guest('/etc/kiln-last'), 'v1\n');
  assert.equal([...(await layersByStage()).keys()].sort(), ['install', 'provision[0]', 'provision[1]', 'shutdown']);
  const ls = await runKiln(['cache', 'ls'], { env: { XDG_CACHE_HOME: xdg } });
  assert.match(ls.stdout, /resume\s+install/);
  assert.match(ls.stdout, /4 layer\(s\)/);
});

test('editing the last provisioner resumes from the layer before it; the image has the new result, not the old', async () => {
  // Depends on the full build above: its four layers, made with scripts/last.sh at v1.
  await writeFile(join(dir, 'scripts', 'last.sh'), LAST('v2'));
  const { events } = await build('edit last provisioner');
  const cache = cacheOf(events);
  assert.equal([cache.resumed_from, cache.cached], ['provision[0]', 2]);
  assert.match(cache.next ?? '', /^provision\[1\]: script scripts\/last\.sh changed/);
  assert.not.ok(stepsRun(events).includes('boot-command'), 'the installer ran again');
  assert.not.ok(ran(events, 0), 'a cached provisioner ran again');
  assert.ok(ran(events, 1));
  assert.not.match(await readFile(join(dir, 'out', 'serial.log'), 'latin1'), /KILN-FIXTURE-CMDLINE/, 'the VM booted the installer');
  assert.is(await guest('/etc/kiln-first'), 'first\n');
  assert.is(await guest('/etc/kiln-last'), 'v2\n');
  assert.is(await guest('/etc/kiln-last-v2'), 'v2\n');
  await rejection(guest('/etc/kiln-last-v1'), 'the old result is in the image');
});

test('an unchanged template needs no VM: the image comes from the last layer', async () => {
  // Depends on the two builds above: the cache holds every layer of the template as the edit left it (v2).
  const { events } = await build('unchanged');
  assert.equal([cacheOf(events).cached, cacheOf(events).stages], [4, 4]);
  assert.not.ok(stepsRun(events).includes('start-vm'));
  assert.is(await guest('/etc/kiln-last'), 'v2\n');
});

test('a corrupted layer is noticed, removed and rebuilt, never used', async () => {
  // Depends on the builds above: it corrupts their provision[0] layer, and expects the install layer and v2.
  const p0 = (await layersByStage()).get('provision[0]')!;
  const disk = join(xdg, 'kiln', 'layers', p0, 'disk.qcow2');
  const bytes = await readFile(disk);
  bytes.fill(0x5a, bytes.length - 4096, bytes.length - 4000);
  await writeFile(disk, bytes);
  const { events, stderr } = await build('corrupted layer');
  assert.match(stderr, new RegExp(`cache: layer ${p0} \\(provision\\[0\\]\\) is unusable: `));
  assert.equal([cacheOf(events).resumed_from, cacheOf(events).cached], ['install', 1]);
  assert.ok(ran(events, 0));
  assert.is(await guest('/etc/kiln-first'), 'first\n');
  assert.is(await guest('/etc/kiln-last'), 'v2\n');
  assert.is.not((await layersByStage()).get('provision[0]'), p0);
});

test('editing the answer file invalidates the install and everything after it', async () => {
  // Depends on the builds above: the cached install it invalidates, and scripts/last.sh at v2.
  await writeFile(join(dir, 'kiln.yaml'), TEMPLATE('resume-v2'));
  const { events } = await build('answer file edited');
  assert.equal(cacheOf(events).resumed_from, null);
  assert.match(cacheOf(events).next ?? '', /^install: http\.content \/ks\.cfg changed/);
  assert.ok(stepsRun(events).includes('boot-command'));
  assert.ok(ran(events, 0) && ran(events, 1));
  assert.is(await guest('/etc/hostname'), 'resume-v2\n');
  assert.is(await guest('/etc/kiln-last'), 'v2\n');
});

test.run();
