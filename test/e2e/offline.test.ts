// End to end on real QEMU: the air-gap proof for a build's own inputs. Online, `kiln
// fetch` puts the installer (checked against a SHA256SUMS file) into the cache; then the
// build runs inside a network namespace with only loopback (`unshare --net`), where the
// mirror is unreachable, with --offline: it builds from the cache. A template whose
// source was never fetched fails there at once, naming the URL, before any VM starts.
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { fixtureTemplate, writeFixtureProject } from '../helpers/fixture-template.js';
import { runKiln } from '../helpers/run-kiln.js';
import { startFileServer } from '../source/file-server.js';

/** Runs its arguments in a new network namespace whose only interface is loopback, up. */
const NO_NETWORK = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'offline'];

test('kiln fetch online, then kiln build --offline inside a network namespace with no route out', async () => {
  const iso = await readFile(await installerIso());
  const sha256 = createHash('sha256').update(iso).digest('hex');
  const mirror = await startFileServer({ '/fixture.iso': { body: iso }, '/SHA256SUMS': { body: `${sha256}  fixture.iso\n` } });
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-offline-'));
  const env = { XDG_CACHE_HOME: join(dir, 'cache') };
  try {
    const template = fixtureTemplate('offline');
    delete template.variables.iso;
    template.source = { iso: { url: mirror.url('/fixture.iso'), checksum: `file:${mirror.url('/SHA256SUMS')}` } };
    await writeFixtureProject(dir, template);

    const fetched = await runKiln(['fetch', 'kiln.yaml'], { cwd: dir, env });
    assert.is(fetched.code, 0, fetched.stderr);
    assert.match(fetched.stdout, /source\.iso fetched: /);
    const online = mirror.requests.length;

    const build = await runKiln(['build', '--offline', 'kiln.yaml'], { cwd: dir, env, wrap: NO_NETWORK });
    const log = await readFile(join(dir, 'out', 'offline', 'build.log'), 'utf8').catch(() => '');
    assert.is(build.code, 0, `offline build failed:\n${build.stderr}\n--- build.log ---\n${log}`);
    assert.match(build.stderr, 'offline: sources come from the cache only');
    assert.is(mirror.requests.length, online, 'the offline build reached the mirror');
    assert.is(await readGuestFile(join(dir, 'out', 'offline', 'offline.qcow2'), '/etc/kiln-e2e-marker'), 'marker it works\n');

    // A source never fetched: refused at once in the same namespace, naming what is missing.
    template.source = { iso: { url: mirror.url('/other.iso'), checksum: `sha256:${'0'.repeat(64)}` } };
    template.output = { ...template.output, directory: 'out-missing' };
    await writeFixtureProject(dir, template);
    const begin = Date.now();
    const missing = await runKiln(['build', '--offline', 'kiln.yaml'], { cwd: dir, env, wrap: NO_NETWORK });
    assert.is(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, `offline: ${mirror.url('/other.iso')} (source.iso) is not in kiln's cache`);
    assert.match(missing.stderr, 'kiln fetch');
    assert.ok(Date.now() - begin < 20_000, `the offline miss took ${Date.now() - begin} ms`);
    assert.not.match(missing.stderr, 'start-vm');
  } finally {
    await mirror.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
