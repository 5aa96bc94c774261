// The host's own apt-get (in a private state directory, no QEMU) through kiln's package
// cache against a tiny apt repository: the first update and download fill the cache,
// the second asks the mirror only to revalidate index files, and offline the cache
// alone answers; a package that was never fetched fails offline with the URL.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent } from 'undici';
import type { KilnError } from '../../lib/errors.js';
import { startPackageCache } from '../../lib/package-cache/index.js';
import { ProxyRoutes } from '../../lib/source/proxy-routes.js';
import { buildAptRepo } from '../helpers/apt-repo.js';
import { startMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

const exec = promisify(execFile);
const quiet = { info() {}, warn() {}, debug() {}, output() {} };

let mirror: MirrorServer;
let repo: string;
test.before(async () => {
  repo = await scratch();
  await buildAptRepo(join(repo, 'debian'), [
    { name: 'kiln-hello', version: '1.0', files: { '/usr/share/kiln-hello/marker': 'hello from the mirror\n' } },
    { name: 'kiln-other', version: '2.0', files: { '/usr/share/kiln-other/marker': 'never fetched\n' } },
  ]);
  mirror = await startMirror({ directory: repo });
});
test.after(async () => {
  await mirror.close();
  await removeScratch();
});

/** apt-get update, then download PACKAGE, in a fresh private apt state, through the proxy. */
async function aptDownload(proxyPort: number, pkg: string): Promise<{ ok: boolean; output: string; deb?: Buffer }> {
  const dir = await scratch({ 'state/lists/partial/': '', 'cache/archives/partial/': '', 'empty/': '', 'dl/': '', status: '' });
  await writeFile(join(dir, 'sources.list'), `deb [trusted=yes] ${mirror.url}/debian ./\n`);
  const options = [
    ['Dir::State', join(dir, 'state')],
    ['Dir::State::status', join(dir, 'status')],
    ['Dir::Cache', join(dir, 'cache')],
    ['Dir::Etc::SourceList', join(dir, 'sources.list')],
    ['Dir::Etc::SourceParts', join(dir, 'empty')],
    ['Dir::Etc::PreferencesParts', join(dir, 'empty')],
    ['Debug::NoLocking', '1'],
    ['APT::Sandbox::User', 'root'],
    ['Acquire::Retries', '0'],
    ['Acquire::http::Proxy', `http://127.0.0.1:${proxyPort}`],
  ].flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  try {
    const update = await exec('apt-get', [...options, 'update'], { cwd: join(dir, 'dl') });
    const download = await exec('apt-get', [...options, 'download', pkg], { cwd: join(dir, 'dl') });
    const deb = await readFile(join(dir, 'dl', `${pkg}_${pkg === 'kiln-hello' ? '1.0' : '2.0'}_all.deb`));
    return { ok: true, output: update.stdout + download.stdout, deb };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function cache(cacheDir: string, offline: boolean) {
  const misses: KilnError[] = [];
  const dispatcher = new Agent();
  const proxy = await startPackageCache({ cacheDir, offline, dispatcher, routes: new ProxyRoutes(), log: quiet, onOfflineMiss: (e) => misses.push(e) });
  return { proxy, misses, close: async () => (await proxy.close(), await dispatcher.close()) };
}

test('apt through the cache: fetched once, revalidated online, answered offline, an unrecorded package refused', async () => {
  const cacheDir = await scratch();
  const first = await cache(cacheDir, false);
  const fetched = await aptDownload(first.proxy.port, 'kiln-hello');
  await first.close();
  assert.ok(fetched.ok, fetched.output);
  assert.equal(fetched.deb, await readFile(join(repo, 'debian', 'kiln-hello_1.0_all.deb')));
  assert.ok(mirror.requests.includes('GET /debian/kiln-hello_1.0_all.deb 200'), mirror.requests.join('\n'));
  const lock = first.proxy.recording.lock();
  assert.equal(lock.entries.map((e) => `${new URL(e.url).pathname} ${e.status}`), [
    '/debian/InRelease 404',
    '/debian/Packages.gz 200',
    '/debian/Release 200',
    '/debian/Release.gpg 404',
    '/debian/kiln-hello_1.0_all.deb 200',
  ]);

  mirror.requests.length = 0;
  const second = await cache(cacheDir, false);
  const again = await aptDownload(second.proxy.port, 'kiln-hello');
  await second.close();
  assert.ok(again.ok, again.output);
  assert.not.ok(mirror.requests.some((r) => r.includes('.deb')), 'the package was fetched upstream again');
  assert.ok(mirror.requests.includes('GET /debian/Release 304'), mirror.requests.join('\n'));
  assert.is(second.proxy.stats.bytes_upstream, 0);

  mirror.requests.length = 0;
  const offline = await cache(cacheDir, true);
  const pinned = await aptDownload(offline.proxy.port, 'kiln-hello');
  const unrecorded = await aptDownload(offline.proxy.port, 'kiln-other');
  await offline.close();
  assert.ok(pinned.ok, pinned.output);
  assert.equal(pinned.deb, fetched.deb);
  assert.not.ok(unrecorded.ok);
  assert.match(unrecorded.output, /504/);
  assert.equal(mirror.requests, [], 'offline asked the mirror');
  assert.equal(offline.misses.map((e) => e.message), [`offline: ${mirror.url}/debian/kiln-other_2.0_all.deb requested by the guest is not in kiln's package cache`]);
});

test.run();
