// End to end on real QEMU: the guest's packages through kiln's package cache (proxy:
// cache), and the air-gap proof for them. The fixture cloud image (Debian 12, apt) is
// told by kiln's cloud-init defaults to use the cache as apt's proxy; a provisioner
// installs a package from a tiny apt repository the test builds and serves on the
// host's 127.0.0.1. After kiln bundle export, a wiped cache and kiln bundle import, the same build runs inside a network namespace
// with only loopback and --offline, and its image holds the package; a build that needs
// a package never recorded fails there at once, naming it.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAptRepo } from '../helpers/apt-repo.js';
import { cloudImage } from '../helpers/cloud-image.js';
import { readGuestFile } from '../helpers/fixtures.js';
import { rejection } from '../helpers/rejection.js';
import { startMirror } from '../helpers/mirror-server.js';
import { runKiln } from '../helpers/run-kiln.js';

/** Runs its arguments in a new network namespace whose only interface is loopback, up. */
const NO_NETWORK = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'offline'];

/** apt with the test's repository as its only source (the image's Debian sources are never read). */
const APT = '-o Dir::Etc::SourceList=/etc/apt/kiln-test.list -o Dir::Etc::SourceParts=/nonexistent';

function template(name: string, mirrorUrl: string, pkg: string): string {
  return `
name: ${name}
variables:
  image: {}
source:
  disk: { url: "{{ var \`image\` }}", checksum: none, backing: false }
machine: { cpus: 2, memory: 768, disk: 3G }
proxy: cache
cloud_init:
  via: cdrom
  user_data: { package_upgrade: false }
ssh: { username: kiln, timeout: 4m }
provision:
  - shell:
      sudo: true
      env: { DEBIAN_FRONTEND: noninteractive }
      inline:
        - echo "deb [trusted=yes] ${mirrorUrl}/debian ./" > /etc/apt/kiln-test.list
        - apt-get ${APT} update
        - apt-get ${APT} install -y --no-install-recommends ${pkg}
shutdown: { command: sudo shutdown -P now, timeout: 2m }
output: { directory: "out/{{ .Name }}", formats: [qcow2] }
`;
}

test('proxy: cache records the guest\'s packages; a bundle carries them into a network namespace where --offline rebuilds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-package-cache-'));
  await buildAptRepo(join(dir, 'repo', 'debian'), [
    { name: 'kiln-hello', version: '1.0', files: { '/usr/share/kiln-hello/marker': 'installed through kiln\'s package cache\n' } },
    { name: 'kiln-other', version: '1.0', files: { '/usr/share/kiln-other/marker': 'never recorded\n' } },
  ]);
  const mirror = await startMirror({ directory: join(dir, 'repo') });
  const image = await cloudImage();
  const cache = join(dir, 'cache');
  const env = { XDG_CACHE_HOME: cache };
  const build = async (name: string, pkg: string, flags: string[], wrap?: string[]) => {
    await writeFile(join(dir, `${name}.yaml`), template(name, mirror.url, pkg));
    const run = await runKiln(['build', `${name}.yaml`, '--var', `image=${image}`, '--force', ...flags], { cwd: dir, env, ...(wrap ? { wrap } : {}) });
    const out = join(dir, 'out', name);
    return { run, out, log: await readFile(join(out, 'build.log'), 'utf8').catch(() => '') };
  };
  try {
    // Online, recorded.
    const first = await build('pkgcache', 'kiln-hello', []);
    assert.is(first.run.code, 0, `first build failed:\n${first.run.stderr}\n--- build.log ---\n${first.log}`);
    assert.ok(mirror.requests.includes('GET /debian/kiln-hello_1.0_all.deb 200'), mirror.requests.join('\n'));
    const lock = JSON.parse(await readFile(join(first.out, 'packages.lock.json'), 'utf8')) as { entries: { url: string; status: number; sha256?: string }[] };
    const deb = lock.entries.find((e) => e.url === `${mirror.url}/debian/kiln-hello_1.0_all.deb`);
    assert.ok(deb?.sha256, JSON.stringify(lock));
    assert.ok(lock.entries.some((e) => e.url.endsWith('/debian/Release')), 'index files are recorded too');
    const manifest = JSON.parse(await readFile(join(first.out, 'manifest.json'), 'utf8')) as { package_cache: { misses: number; bytes_upstream: number } };
    assert.ok(manifest.package_cache.misses >= 3 && manifest.package_cache.bytes_upstream > 0, JSON.stringify(manifest.package_cache));
    assert.match(first.log, /package cache: \d+ requests: \d+ hits/);

    // A second online build fetching no package upstream is proven by the unit suite's real
    // apt-get through the cache (test/package-cache): one boot fewer here.

    // Across the air gap: export, wipe, import, then offline in a namespace with no route out.
    const exported = await runKiln(['bundle', 'export', 'pkgcache.yaml', '--var', `image=${image}`, '-o', 'kiln-bundle.tar'], { cwd: dir, env });
    assert.is(exported.code, 0, exported.stderr);
    await rm(cache, { recursive: true, force: true });
    const imported = await runKiln(['bundle', 'import', 'kiln-bundle.tar'], { cwd: dir, env });
    assert.is(imported.code, 0, imported.stderr);
    mirror.requests.length = 0;
    const offline = await build('pkgcache', 'kiln-hello', ['--offline', '--no-cache'], NO_NETWORK);
    assert.is(offline.run.code, 0, `offline build failed:\n${offline.run.stderr}\n--- build.log ---\n${offline.log}`);
    assert.equal(mirror.requests, [], 'the offline build reached the mirror');
    assert.is(await readGuestFile(join(offline.out, 'pkgcache.qcow2'), '/usr/share/kiln-hello/marker'), "installed through kiln's package cache\n");

    // A package never recorded: refused at once, the build fails naming it, no recording left.
    const unrecorded = await build('pkgmissing', 'kiln-other', ['--offline', '--no-cache'], NO_NETWORK);
    assert.is(unrecorded.run.code, 1, unrecorded.run.stderr);
    assert.match(unrecorded.run.stderr, `offline: ${mirror.url}/debian/kiln-other_1.0_all.deb requested by the guest is not in kiln's package cache`);
    assert.match(unrecorded.run.stderr, 'kiln bundle');
    await rejection(stat(join(unrecorded.out, 'packages.lock.json')), 'a failed build left packages.lock.json');
  } finally {
    await mirror.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
