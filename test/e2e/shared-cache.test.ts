// The stage cache shared through a real registry (helpers/registry.ts), on real QEMU:
// runner A builds the fixture with --cache-to; runner B, with an empty cache of its own
// (a fresh XDG_CACHE_HOME), builds with --cache-from only, takes every stage from the
// registry, boots no installer and pushes nothing. The bytes each moved and both times
// are printed (docs/publish.md quotes them).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventOf, eventsOf, stepsRun, type KilnEvent } from '../helpers/events.js';
import { fixtureTemplate, writeFixtureProject } from '../helpers/fixture-template.js';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { runKiln } from '../helpers/run-kiln.js';

let registry: Registry;
let dir = '';

test.before(async () => {
  registry = await startRegistry();
  dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-shared-'));
  await writeFixtureProject(dir, fixtureTemplate('shared'));
  await writeFile(join(dir, 'auth.json'), JSON.stringify({ auths: { [registry.host]: { username: registry.user, password: registry.password } } }));
});
test.after(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function runner(name: string, flags: string[]): Promise<{ events: KilnEvent[]; stderr: string; seconds: number }> {
  const begin = Date.now();
  const env = { XDG_CACHE_HOME: join(dir, `cache-${name}`), REGISTRY_AUTH_FILE: join(dir, 'auth.json'), SSL_CERT_FILE: registry.caFile };
  const run = await runKiln(['build', 'kiln.yaml', '--json', '--force', '--var', `iso=${await installerIso()}`, ...flags], { cwd: dir, env });
  const log = await readFile(join(dir, 'out', 'shared', 'build.log'), 'utf8').catch(() => '');
  assert.is(run.code, 0, `runner ${name} failed:\n${run.stderr}\n--- build.log ---\n${log}`);
  return { events: eventsOf(run.stdout), stderr: run.stderr, seconds: (Date.now() - begin) / 1000 };
}

const cacheOf = (events: KilnEvent[]) => eventOf(events, 'cache') as KilnEvent & { resumed_from: string | null; cached: number; stages: number };
const logged = (events: KilnEvent[], pattern: RegExp) => events.find((e) => e.type === 'log' && pattern.test(String(e.message)))?.message as string | undefined;

test('runner B resumes from the layers runner A pushed: no install, nothing pushed', async () => {
  const cache = `oci://${registry.host}/kiln/shared-cache`;
  const a = await runner('a', ['--cache-to', cache]);
  assert.equal(cacheOf(a.events).cached, 0);
  const pushed = logged(a.events, /--cache-to .*layer\(s\) pushed/);
  assert.match(pushed ?? '', new RegExp(`: ${cacheOf(a.events).stages} layer\\(s\\) pushed`), pushed);

  const mark = registry.requests().length;
  const b = await runner('b', ['--cache-from', cache]);
  const resumed = cacheOf(b.events);
  assert.equal(resumed.cached, resumed.stages, 'every stage came from the registry');
  assert.not.ok(stepsRun(b.events).includes('boot-command'), 'runner B ran the installer');
  assert.not.ok(stepsRun(b.events).includes('start-vm'), 'runner B booted a VM');
  const pulled = logged(b.events, /--cache-from .*layer\(s\) pulled/);
  assert.match(pulled ?? '', new RegExp(`: ${resumed.stages} layer\\(s\\) pulled`), pulled);
  assert.ok(registry.requests().slice(mark).every((r) => /^(GET|HEAD) /.test(r)), '--cache-from alone pushed');
  assert.is(await readGuestFile(join(dir, 'out', 'shared', 'shared.qcow2'), '/etc/kiln-e2e-marker'), 'marker it works\n');
  process.stderr.write(`shared cache: runner A ${a.seconds.toFixed(1)} s (${pushed}); runner B ${b.seconds.toFixed(1)} s (${pulled}); B/A ${(b.seconds / a.seconds).toFixed(2)}\n`);
});

test.run();
