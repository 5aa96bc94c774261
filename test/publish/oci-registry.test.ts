// kiln publish --to oci:// and kiln pull against a real registry (Debian's
// docker-registry with htpasswd auth and a self-signed certificate, helpers/registry.ts),
// read back with real skopeo. Spawned as a user runs them.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { list } from 'tar';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashFile } from '../../lib/util/hash-file.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';
import { findFreePort } from '../../lib/util/free-port.js';
import { runKiln } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { ociFixture, type OciFixture } from './oci-fixture.js';

const run = promisify(execFile);
let registry: Registry;
let root = '';
let build: OciFixture;
let env: NodeJS.ProcessEnv;

test.before(async () => {
  registry = await startRegistry();
  root = await scratch({}, 'kiln-oci-');
  build = await ociFixture(join(root, 'out'), 'one');
  const auth = join(root, 'auth.json');
  await writeFile(auth, JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.user}:${registry.password}`).toString('base64') } } }));
  env = { REGISTRY_AUTH_FILE: auth };
});
test.after(async () => {
  await registry?.stop();
  await removeScratch();
});

const ref = (repo: string) => `oci://${registry.host}/${repo}`;
const skopeo = async (...args: string[]) => (await run('skopeo', args, { maxBuffer: 16 << 20 })).stdout;
const skopeoAuth = () => ['--cert-dir', registry.certDir, '--creds', `${registry.user}:${registry.password}`];
/** Requests since `from` that sent blob bytes: starting, continuing or closing an upload. */
const uploads = (from: number) => registry.requests().slice(from).filter((r) => /^(POST|PATCH|PUT) \/v2\/[^ ]*\/blobs\/uploads\//.test(r));

test('publish pushes the build as an artifact, in chunks; skopeo reads it; a second push uploads no blob', async () => {
  const before = registry.requests().length;
  const first = await runKiln(['publish', build.dir, '--to', ref('kiln/demo:1.0.0'), '--ca-file', registry.caFile, '--chunk-size', '64K'], { env });
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, `published ${build.dir} to ${registry.host}/kiln/demo:1.0.0`);
  assert.match(first.stdout, 'blobs: 4 uploaded');
  // The 640K qcow2 went as PATCHes of 64K; the small blobs as one PUT each.
  assert.ok(uploads(before).filter((r) => r.startsWith('PATCH')).length >= 10, uploads(before).join('\n'));

  const manifest = JSON.parse(await skopeo('inspect', '--raw', ...skopeoAuth(), `docker://${registry.host}/kiln/demo:1.0.0`));
  assert.is(manifest.artifactType, 'application/vnd.kiln.build.v1');
  assert.is(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
  assert.equal(
    manifest.layers.map((l: { mediaType: string; annotations: Record<string, string> }) => [l.annotations['org.opencontainers.image.title'], l.mediaType, l.annotations['dev.kiln.format']]),
    [
      ['demo.libvirt.box', 'application/vnd.kiln.vagrant.box.v1.tar+gzip', 'vagrant-libvirt'],
      ['demo.qcow2', 'application/vnd.kiln.disk.qcow2', 'qcow2'],
      ['manifest.json', 'application/vnd.kiln.build.manifest.v1+json', 'manifest'],
    ],
  );
  assert.is(manifest.layers[1].annotations['dev.kiln.sha256'], build.files['demo.qcow2']);
  assert.is(manifest.annotations['org.opencontainers.image.version'], '1.0.0');
  assert.is(manifest.annotations['dev.kiln.name'], 'demo');

  // skopeo copy keeps the blobs as they are: the qcow2 comes back byte for byte.
  const copied = join(root, 'skopeo-copy');
  await skopeo('copy', '--src-cert-dir', registry.certDir, '--src-creds', `${registry.user}:${registry.password}`, `docker://${registry.host}/kiln/demo:1.0.0`, `dir:${copied}`);
  assert.is(await hashFile(join(copied, build.files['demo.qcow2']!), 'sha256'), build.files['demo.qcow2']);

  const mark = registry.requests().length;
  const second = await runKiln(['publish', build.dir, '--to', ref('kiln/demo:1.0.0'), '--ca-file', registry.caFile], { env });
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stdout, 'blobs: 0 uploaded (0B), 4 already there');
  assert.equal(uploads(mark), [], 'the registry log shows no blob upload on the second push');
});

test('kiln pull fetches the artifact back, every file verified', async () => {
  const dir = join(root, 'pulled');
  const pulled = await runKiln(['pull', ref('kiln/demo:1.0.0'), dir, '--ca-file', registry.caFile], { env });
  assert.is(pulled.code, 0, pulled.stderr);
  assert.equal((await readdir(dir)).sort(), ['demo.libvirt.box', 'demo.qcow2', 'manifest.json']);
  for (const [file, sha256] of Object.entries(build.files)) assert.is(await hashFile(join(dir, file), 'sha256'), sha256, file);
  assert.is(await readFile(join(dir, 'manifest.json'), 'utf8'), await readFile(join(build.dir, 'manifest.json'), 'utf8'));
});

test('--containerdisk pushes the qcow2 under /disk/ in a one-layer image KubeVirt can boot', async () => {
  const pushed = await runKiln(['publish', build.dir, '--to', ref('kiln/demo-disk:1.0.0'), '--containerdisk', '--ca-file', registry.caFile], { env });
  assert.is(pushed.code, 0, pushed.stderr);
  const image = JSON.parse(await skopeo('inspect', ...skopeoAuth(), `docker://${registry.host}/kiln/demo-disk:1.0.0`));
  assert.equal([image.Architecture, image.Os, image.Layers.length], ['amd64', 'linux', 1]);
  const copied = join(root, 'skopeo-disk');
  await skopeo('copy', '--src-cert-dir', registry.certDir, '--src-creds', `${registry.user}:${registry.password}`, `docker://${registry.host}/kiln/demo-disk:1.0.0`, `dir:${copied}`);
  const layer = join(copied, image.Layers[0].slice('sha256:'.length));
  const members: { path: string; uid: number | undefined; type: string; size: number }[] = [];
  await list({ file: layer, onReadEntry: (e) => members.push({ path: e.path, uid: e.uid, type: e.type, size: e.size ?? 0 }) });
  const diskBytes = (await stat(build.qcow2)).size;
  assert.equal(members, [
    { path: 'disk/', uid: 107, type: 'Directory', size: 0 },
    { path: 'disk/demo.qcow2', uid: 107, type: 'File', size: diskBytes },
  ]);
});

test('--password-stdin with --username logs in; wrong credentials are a 401 that names the fix', async () => {
  const good = await runKiln(['publish', build.dir, '--to', ref('kiln/stdin:1'), '--ca-file', registry.caFile, '--username', registry.user, '--password-stdin'], { input: `${registry.password}\n` });
  assert.is(good.code, 0, good.stderr);
  const bad = await runKiln(['publish', build.dir, '--to', ref('kiln/stdin:2'), '--ca-file', registry.caFile, '--username', registry.user, '--password-stdin'], { input: 'wrong-secret-123\n' });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, `${registry.host} refused the credentials from --username while looking for blob`);
  assert.match(bad.stderr, '401 Unauthorized');
  assert.match(bad.stderr, /hint: log in again \(docker login/);
  assert.not.match(bad.stderr, 'wrong-secret-123');
  const none = await runKiln(['pull', ref('kiln/demo:1.0.0'), join(root, 'anon'), '--ca-file', registry.caFile], { env: { REGISTRY_AUTH_FILE: join(root, 'missing.json') } });
  assert.is(none.code, 1);
  assert.match(none.stderr, `${registry.host} wants credentials for reading the manifest of kiln/demo:1.0.0: 401 Unauthorized`);
});

test('a registry certificate kiln does not trust names --ca-file; an unknown tag is a 404', async () => {
  const untrusted = await runKiln(['pull', ref('kiln/demo:1.0.0'), join(root, 'tls')], { env });
  assert.is(untrusted.code, 1);
  assert.match(untrusted.stderr, `cannot reach ${registry.host} while reading the manifest`);
  assert.match(untrusted.stderr, /hint: kiln does not trust .*--ca-file ca\.pem/);
  const missing = await runKiln(['pull', ref('kiln/demo:9.9.9'), join(root, 'none'), '--ca-file', registry.caFile], { env });
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /404 Not Found \(MANIFEST_UNKNOWN/);
});

test('a blob changed in the registry is refused on pull, and nothing is left behind', async () => {
  const qcow2 = build.files['demo.qcow2']!;
  const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', qcow2.slice(0, 2), qcow2, 'data');
  const original = await readFile(data);
  const tampered = Buffer.from(original);
  tampered[100_000] = tampered[100_000]! ^ 0xff;
  await writeFile(data, tampered);
  try {
    const dir = join(root, 'tampered');
    const pulled = await runKiln(['pull', ref('kiln/demo:1.0.0'), dir, '--ca-file', registry.caFile], { env });
    assert.is(pulled.code, 1);
    assert.match(pulled.stderr, `served other bytes for demo.qcow2: expected sha256:${qcow2}`);
    assert.match(pulled.stderr, '[E_CHECKSUM]');
    assert.not.ok((await readdir(dir)).some((f) => f.startsWith('demo.qcow2') || f.includes('.part')));
  } finally {
    await writeFile(data, original);
  }
});

test('publish refuses a build output whose file changed size since the build', async () => {
  const changed = await ociFixture(join(root, 'changed'), 'two');
  await writeFile(changed.qcow2, 'not the disk');
  const result = await runKiln(['publish', changed.dir, '--to', ref('kiln/changed:1'), '--ca-file', registry.caFile], { env });
  assert.is(result.code, 2);
  assert.match(result.stderr, 'is 12 bytes, not the');
  await rm(changed.dir, { recursive: true });
});

test('--proxy: the registry is reached through a CONNECT tunnel, TLS checked end to end; a proxy that refuses is named, masked', async () => {
  const proxy = await startTinyproxy({ auth: { user: 'proxyuser', password: 'proxy-secret-42' } });
  try {
    const through = await runKiln(['pull', ref('kiln/demo:1.0.0'), join(root, 'via-proxy'), '--ca-file', registry.caFile, '--proxy', proxy.urlWithAuth()], { env });
    assert.is(through.code, 0, through.stderr);
    assert.ok((await proxy.requests()).includes(`CONNECT ${registry.host}`), (await proxy.requests()).join('\n'));
    const refused = await runKiln(['pull', ref('kiln/demo:1.0.0'), join(root, 'refused'), '--ca-file', registry.caFile, '--proxy', proxy.urlWithAuth('proxyuser', 'wrong-proxy-pw')], { env });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, `cannot reach ${registry.host} through proxy http://***:***@127.0.0.1:${proxy.port} while reading the manifest`);
    assert.match(refused.stderr, /hint: check the proxy http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+: .*NO_PROXY=127\.0\.0\.1, or --proxy none/);
    assert.not.match(refused.stderr, 'wrong-proxy-pw');
  } finally {
    await proxy.stop();
  }
  const nothing = `http://127.0.0.1:${await findFreePort()}`;
  const down = await runKiln(['pull', ref('kiln/demo:1.0.0'), join(root, 'proxy-down'), '--ca-file', registry.caFile, '--proxy', nothing], { env });
  assert.is(down.code, 1);
  assert.match(down.stderr, `through proxy ${nothing}`);
});

test.run();
