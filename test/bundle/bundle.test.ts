// kiln bundle as a user runs it: a cache filled by kiln fetch and a recorded build goes
// into one tar, comes out verified in an empty cache, and a corrupt copy loads nothing.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PACKAGES_LOCK, PackageStore } from '../../lib/package-cache/index.js';
import { runKiln } from '../helpers/run-kiln.js';
import { startMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

const ISO = 'an installer iso';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const LAYER_ID = 'ab12cd34ef56ab78-0badf00d';
const PACKAGE_URL = 'http://deb.example.test/debian/pool/main/h/hello/hello_1.0_all.deb';

let mirror: MirrorServer;
test.before(async () => {
  mirror = await startMirror({ files: { '/debian.iso': ISO } });
});
test.after(async () => {
  await mirror.close();
  await removeScratch();
});

async function recordedProject(): Promise<{ dir: string; cache: string }> {
  const dir = await scratch({
    'kiln.yaml': `name: airgap
source:
  iso: { url: "${mirror.url}/debian.iso", checksum: "sha256:${sha256(ISO)}" }
proxy: cache
boot: { command: ["<enter>"] }
ssh: { username: kiln, password: x }
output: { directory: out }
`,
  });
  const cache = join(dir, 'xdg', 'kiln');
  const fetched = await runKiln(['fetch', 'kiln.yaml'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'xdg') } });
  assert.is(fetched.code, 0, fetched.stderr);
  // What a build with proxy: cache leaves: the store's files and the output's recording.
  const store = new PackageStore(cache);
  const deb = await store.saveBody(PACKAGE_URL, Readable.from([Buffer.from('a package')]), {});
  await mkdir(join(dir, 'out'), { recursive: true });
  await writeFile(join(dir, 'out', PACKAGES_LOCK), JSON.stringify({ version: 1, entries: [{ url: PACKAGE_URL, status: 200, size: deb.size, sha256: deb.sha256 }] }));
  const layer = join(cache, 'layers', LAYER_ID);
  await mkdir(layer, { recursive: true });
  await writeFile(join(layer, 'disk.qcow2'), 'a stage disk');
  await writeFile(join(layer, 'layer.json'), JSON.stringify({ format: 1, id: LAYER_ID, key: 'ab12cd34ef56ab78'.padEnd(64, '0'), template: 'airgap', stage: 'install', parent: null, sha256: sha256('a stage disk') }));
  await writeFile(join(layer, 'used'), '');
  return { dir, cache };
}

/** Every file under `dir`, relative, with its sha256. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = sha256(await readFile(path));
  }
  return out;
}

const bundled = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([path]) => !/(^|\/)(used|lock)$|\/partial\//.test(path) && !path.startsWith('digests/')));

test('export then import into an empty cache gives the same source, packages and layers', async () => {
  const { dir, cache } = await recordedProject();
  const exported = await runKiln(['bundle', 'export', 'kiln.yaml', '-o', 'kiln-bundle.tar'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'xdg') } });
  assert.is(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /: 1 source, 2 package, 2 stage cache/, exported.stdout);
  assert.match(exported.stderr, /airgap: 1 recorded guest download/);
  const imported = await runKiln(['bundle', 'import', 'kiln-bundle.tar'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'other') } });
  assert.is(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /verified 5 files of kiln-bundle\.tar \(made for kiln\.yaml\); loaded 5/);
  const want = bundled(await tree(cache));
  assert.equal(bundled(await tree(join(dir, 'other', 'kiln'))), want);
  assert.ok(Object.keys(want).some((path) => path.startsWith('packages/v1/blobs/')));
  // The imported cache serves the source without the network.
  await mirror.close();
  try {
    const offline = await runKiln(['fetch', 'kiln.yaml'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'other') } });
    assert.is(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /already cached/);
  } finally {
    mirror = await startMirror({ files: { '/debian.iso': ISO } });
  }
});

test('a bundle with one changed byte loads nothing and names the member', async () => {
  const { dir } = await recordedProject();
  const exported = await runKiln(['bundle', 'export', 'kiln.yaml', '-o', 'b.tar'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'xdg') } });
  assert.is(exported.code, 0, exported.stderr);
  const tar = await readFile(join(dir, 'b.tar'));
  const at = tar.indexOf('a package');
  tar[at] = 'A'.charCodeAt(0);
  await writeFile(join(dir, 'corrupt.tar'), tar);
  const imported = await runKiln(['bundle', 'import', 'corrupt.tar'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'other') } });
  assert.is(imported.code, 1);
  assert.match(imported.stderr, /corrupt\.tar: member files\/\d{6} \(packages\/v1\/blobs\/[0-9a-f]{64}\) has sha256 [0-9a-f]{64}, [0-9a-f]{64} expected; nothing was loaded/);
  assert.equal(await readdir(join(dir, 'other', 'kiln')).catch(() => []), []);
});

test('export fails naming the URL when a recorded package is no longer in the cache', async () => {
  const { dir, cache } = await recordedProject();
  const { rm } = await import('node:fs/promises');
  await rm(join(cache, 'packages', 'v1', 'blobs'), { recursive: true });
  const exported = await runKiln(['bundle', 'export', 'kiln.yaml', '-o', 'b.tar'], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'xdg') } });
  assert.is(exported.code, 1);
  assert.match(exported.stderr, new RegExp(`${PACKAGES_LOCK}: ${PACKAGE_URL.replaceAll('.', '\\.')} \\(sha256 [0-9a-f]{64}\\) is no longer in kiln's package cache`));
  assert.match(exported.stderr, /build airgap again online/);
});

const usage: [string[], RegExp][] = [
  [['bundle'], /kiln bundle needs an action/],
  [['bundle', 'pack'], /unknown bundle action "pack"/],
  [['bundle', 'export', 'kiln.yaml'], /needs -o FILE/],
  [['bundle', 'import'], /takes one bundle, got 0/],
  [['build', 'kiln.yaml', '-o', 'x.tar'], /-o\/--output applies to kiln bundle export only/],
];
for (const [args, message] of usage) {
  test(`kiln ${args.join(' ')} is a usage error`, async () => {
    const run = await runKiln(args, { cwd: await scratch() });
    assert.is(run.code, 2);
    assert.match(run.stderr, message);
  });
}

test.run();
