// The package cache benchmark (`npm run bench -- package-cache`): the fixture cloud image
// with a provisioner that installs packages from an apt repository served on this host's
// 127.0.0.1, through proxy: cache. Three builds, each with the guest running again
// (--no-cache): the first (every file fetched upstream), the second (packages are hits,
// index files revalidated), and an offline one inside a network namespace with only
// loopback. For each: the build's time and the bytes kiln fetched upstream.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { buildAptRepo } from '../test/helpers/apt-repo.js';
import { startMirror } from '../test/helpers/mirror-server.js';
import { seconds, timed } from './measure.js';

const PACKAGES = ['kiln-bench-a', 'kiln-bench-b', 'kiln-bench-c'];
/** Each package holds this much incompressible data, so that bytes upstream mean something. */
const PACKAGE_BYTES = 4 * 1024 * 1024;
const APT = '-o Dir::Etc::SourceList=/etc/apt/kiln-bench.list -o Dir::Etc::SourceParts=/nonexistent';
const NO_NETWORK = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'offline'];

function template(image: string, mirrorUrl: string, out: string): string {
  return `name: package-cache-bench
source:
  disk: { url: ${image}, checksum: none, backing: true }
machine: { cpus: 2, memory: 768, disk: 3G }
proxy: cache
cloud_init:
  user_data: { package_upgrade: false }
ssh: { username: kiln, timeout: 10m }
provision:
  - shell:
      sudo: true
      env: { DEBIAN_FRONTEND: noninteractive }
      inline:
        - echo "deb [trusted=yes] ${mirrorUrl}/debian ./" > /etc/apt/kiln-bench.list
        - apt-get ${APT} update
        - apt-get ${APT} install -y --no-install-recommends ${PACKAGES.join(' ')}
shutdown: { command: sudo shutdown -P now, timeout: 3m }
output: { directory: ${out}, formats: [qcow2] }
`;
}

export async function benchPackageCache(repo: string, kiln: string, dir: string): Promise<void> {
  const image = execFileSync('bash', [join(repo, 'fixtures', 'build-cloud-image.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  await buildAptRepo(
    join(dir, 'repo', 'debian'),
    PACKAGES.map((name) => ({ name, version: '1.0', files: { [`/usr/share/${name}/data`]: randomBytes(PACKAGE_BYTES).toString('base64') } })),
  );
  const mirror = await startMirror({ directory: join(dir, 'repo') });
  const env = { CI: '1', XDG_CACHE_HOME: join(dir, 'cache') };
  const out = join(dir, 'out');
  await writeFile(join(dir, 'kiln.yaml'), template(image, mirror.url, out));
  console.log(`\npackage cache: ${PACKAGES.length} packages of ${(PACKAGE_BYTES / 1048576).toFixed(0)} MiB (base64) from an apt repository on 127.0.0.1, through proxy: cache`);
  try {
    const runs: [string, string[], string[]][] = [
      ['first build (all misses)', [], []],
      ['second build (all hits)', [], []],
      ['offline build (unshare --net)', ['--offline'], NO_NETWORK],
    ];
    for (const [label, flags, wrap] of runs) {
      const before = mirror.requests.length;
      const args = [kiln, 'build', 'kiln.yaml', '--force', '--no-cache', ...flags];
      const run = wrap.length ? await timed(wrap[0]!, [...wrap.slice(1), process.execPath, ...args], { cwd: dir, env }) : await timed(process.execPath, args, { cwd: dir, env });
      if (run.code !== 0) throw new Error(`${label} failed:\n${run.stderr}`);
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
      const cache = manifest.package_cache!;
      const provision = manifest.steps.find((s) => s.name === 'provision');
      console.log(
        `  ${label.padEnd(30)} ${seconds(run.ms).padStart(8)} (provision ${seconds(provision?.ms ?? 0)}); ` +
          `upstream ${(cache.bytes_upstream / 1048576).toFixed(2)} MiB in ${mirror.requests.length - before} requests; ` +
          `${cache.hits} hits, ${cache.revalidated} revalidated, ${cache.misses} misses; served ${(cache.bytes_served / 1048576).toFixed(2)} MiB`,
      );
    }
  } finally {
    await mirror.close();
  }
}
