// publishToCatalog on a real filesystem: the catalog's layout, what it refuses and what a
// refusal leaves (nothing), --force, and publishes running at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../lib/errors.js';
import { install, publishToCatalog, type PublishCatalogOptions } from '../../lib/publish/publish-catalog.js';
import { hashFile } from '../../lib/util/hash-file.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { fixtureOutput, type FixtureOutput } from './build-output-fixture.js';

let root = '';
let first: FixtureOutput;
let second: FixtureOutput;

test.before(async () => {
  root = await scratch({}, 'kiln-publish-');
  first = await fixtureOutput(join(root, 'out1'), 'first');
  second = await fixtureOutput(join(root, 'out2'), 'second');
});
test.after(() => removeScratch());

let n = 0;
const freshCatalog = () => join(root, `catalog${++n}`);
const publish = (catalogDir: string, overrides: Partial<PublishCatalogOptions> = {}) =>
  publishToCatalog({ outputDir: first.dir, catalogDir, name: 'acme/demo', version: '1.0.0', architecture: 'amd64', ...overrides });
const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

/** Every file under dir, relative, sorted (dotfiles included: no temp or lock file may stay). */
async function tree(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1)).sort();
}

/** The error a publish is refused with: its code, a message matching `message`, and a hint. */
async function rejects(promise: Promise<unknown>, code: string, message: RegExp): Promise<KilnError> {
  const error = await kilnRejection(promise, 'it was published');
  assert.is(error.code, code, error.message);
  assert.match(error.message, message);
  assert.ok(error.hint, 'no hint');
  return error;
}

test('the first publish writes DIR/org/box/metadata.json and VERSION/PROVIDER-ARCH.box, with file:// URLs', async () => {
  const dir = freshCatalog();
  const result = await publish(dir, { description: 'A small demo box' });
  assert.equal(await tree(dir), ['acme/demo/1.0.0/libvirt-amd64.box', 'acme/demo/metadata.json']);
  const boxPath = join(dir, 'acme/demo/1.0.0/libvirt-amd64.box');
  assert.is(await hashFile(boxPath), first.sha256);
  assert.equal(await json(join(dir, 'acme/demo/metadata.json')), {
    name: 'acme/demo',
    description: 'A small demo box',
    versions: [
      {
        version: '1.0.0',
        providers: [
          { name: 'libvirt', url: pathToFileURL(boxPath).href, checksum_type: 'sha256', checksum: first.sha256, architecture: 'amd64', default_architecture: true },
        ],
      },
    ],
  });
  assert.equal(
    { ...result, replaced: undefined },
    {
      name: 'acme/demo',
      version: '1.0.0',
      provider: 'libvirt',
      architecture: 'amd64',
      metadataPath: join(dir, 'acme/demo/metadata.json'),
      metadataUrl: join(dir, 'acme/demo/metadata.json'),
      boxPath,
      url: pathToFileURL(boxPath).href,
      sha256: first.sha256,
      bytes: first.bytes,
      replaced: undefined,
      versions: ['1.0.0'],
    },
  );
});

test('--url-base: the box\'s URL under it, and the metadata\'s', async () => {
  const dir = freshCatalog();
  const result = await publish(dir, { urlBase: 'https://boxes.example.com/vagrant/', version: '2.0.1', architecture: 'arm64' });
  assert.is(result.url, 'https://boxes.example.com/vagrant/acme/demo/2.0.1/libvirt-arm64.box');
  assert.is(result.metadataUrl, 'https://boxes.example.com/vagrant/acme/demo/metadata.json');
  const metadata = await json(result.metadataPath);
  assert.is(metadata.versions[0].providers[0].url, result.url);
  assert.is(metadata.versions[0].providers[0].architecture, 'arm64');
});

test('a second version and a second architecture join the first; the description is kept', async () => {
  const dir = freshCatalog();
  await publish(dir, { description: 'kept' });
  await publish(dir, { outputDir: second.dir, version: '1.1.0' });
  const last = await publish(dir, { outputDir: second.dir, version: '1.0.0', architecture: 'arm64' });
  assert.equal(last.versions, ['1.0.0', '1.1.0']);
  const metadata = await json(last.metadataPath);
  assert.is(metadata.description, 'kept');
  assert.equal(
    metadata.versions.map((v: { version: string; providers: { architecture: string; checksum: string }[] }) => [v.version, v.providers.map((p) => `${p.architecture}:${p.checksum === first.sha256 ? 'first' : 'second'}`)]),
    [
      ['1.0.0', ['arm64:second', 'amd64:first']],
      ['1.1.0', ['amd64:second']],
    ],
  );
  assert.equal(await tree(dir), ['acme/demo/1.0.0/libvirt-amd64.box', 'acme/demo/1.0.0/libvirt-arm64.box', 'acme/demo/1.1.0/libvirt-amd64.box', 'acme/demo/metadata.json']);
});

test('an existing version is refused without --force and left as it was; --force replaces box and checksum', async () => {
  const dir = freshCatalog();
  await publish(dir);
  const before = await readFile(join(dir, 'acme/demo/metadata.json'), 'utf8');
  await rejects(publish(dir, { outputDir: second.dir }), 'E_CATALOG_EXISTS', /acme\/demo 1\.0\.0 already has a libvirt box for amd64/);
  assert.is(await readFile(join(dir, 'acme/demo/metadata.json'), 'utf8'), before);
  assert.is(await hashFile(join(dir, 'acme/demo/1.0.0/libvirt-amd64.box')), first.sha256);
  assert.equal(await tree(dir), ['acme/demo/1.0.0/libvirt-amd64.box', 'acme/demo/metadata.json']);

  const result = await publish(dir, { outputDir: second.dir, force: true });
  assert.is(result.replaced?.checksum, first.sha256);
  assert.is(await hashFile(result.boxPath), second.sha256);
  assert.is((await json(result.metadataPath)).versions[0].providers[0].checksum, second.sha256);
  assert.equal(await tree(dir), ['acme/demo/1.0.0/libvirt-amd64.box', 'acme/demo/metadata.json']);
});

test('a box that does not match its manifest is refused and nothing is published', async () => {
  const out = await fixtureOutput(join(root, 'tampered'), 'tampered');
  await appendFile(out.box, 'x');
  const dir = freshCatalog();
  const error = await rejects(publish(dir, { outputDir: out.dir }), 'E_PUBLISH_INPUT', /does not match the build's manifest\.json: its sha256 is [0-9a-f]{64}, the manifest records/);
  assert.match(error.hint!, /rebuild/);
  assert.equal(await tree(dir), [], 'the catalog holds files');
  // Cut short, in a catalog that has a version already: that one is untouched.
  await publish(dir);
  const short = await fixtureOutput(join(root, 'short'), 'short');
  await writeFile(short.box, (await readFile(short.box)).subarray(0, 100));
  await rejects(publish(dir, { outputDir: short.dir, version: '1.1.0' }), 'E_PUBLISH_INPUT', /does not match/);
  assert.equal(await tree(dir), ['acme/demo/1.0.0/libvirt-amd64.box', 'acme/demo/metadata.json']);
  assert.equal((await json(join(dir, 'acme/demo/metadata.json'))).versions.length, 1);
});

test('no manifest, no box recorded, the box gone: E_PUBLISH_INPUT naming the cause and the fix', async () => {
  const dir = freshCatalog();
  const empty = join(root, 'empty');
  await mkdir(empty);
  let e = await rejects(publish(dir, { outputDir: empty }), 'E_PUBLISH_INPUT', /empty has no manifest\.json: it is not the output of a finished kiln build/);
  assert.match(e.hint!, /build that succeeded/);

  const noBox = join(root, 'no-box');
  await mkdir(noBox);
  await writeFile(join(noBox, 'manifest.json'), JSON.stringify({ name: 'x', files: [{ file: 'x.qcow2', format: 'qcow2', bytes: 1, sha256: 'a'.repeat(64) }] }));
  e = await rejects(publish(dir, { outputDir: noBox }), 'E_PUBLISH_INPUT', /no-box holds no Vagrant box: its manifest\.json records none/);
  assert.match(e.hint!, /output\.vagrant/);

  const gone = await fixtureOutput(join(root, 'gone'), 'gone');
  await rm(gone.box);
  e = await rejects(publish(dir, { outputDir: gone.dir }), 'E_PUBLISH_INPUT', /gone has no demo\.libvirt\.box, the box its manifest\.json names/);

  const escape = join(root, 'escape');
  await mkdir(escape);
  await writeFile(join(escape, 'manifest.json'), JSON.stringify({ vagrant: { box: '../out1/demo.libvirt.box', provider: 'libvirt', checksum_type: 'sha256', checksum: first.sha256 } }));
  await rejects(publish(dir, { outputDir: escape }), 'E_PUBLISH_INPUT', /not a file in the output directory/);

  await writeFile(join(empty, 'manifest.json'), '{ half');
  await rejects(publish(dir, { outputDir: empty }), 'E_PUBLISH_INPUT', /manifest\.json is not JSON/);
  assert.equal(await tree(dir), []);
});

test('bad name, version, architecture or URL base: E_USAGE before anything is read', async () => {
  const dir = freshCatalog();
  await rejects(publish(dir, { name: 'demo' }), 'E_USAGE', /box name "demo" is not org\/name/);
  await rejects(publish(dir, { version: '1.0' }), 'E_USAGE', /box version "1\.0" is not X\.Y\.Z/);
  await rejects(publish(dir, { architecture: 'x86-64' }), 'E_USAGE', /architecture/);
  await rejects(publish(dir, { urlBase: 'boxes' }), 'E_USAGE', /--url-base/);
  assert.equal(await tree(dir), []);
});

test('a catalog metadata.json that is not a catalog is refused (E_CATALOG) and left alone', async () => {
  const dir = freshCatalog();
  await mkdir(join(dir, 'acme/demo'), { recursive: true });
  await writeFile(join(dir, 'acme/demo/metadata.json'), '{"name": "acme/demo", "versions": 1}');
  await rejects(publish(dir), 'E_CATALOG', /cannot be read as a box catalog: "versions" is not a list/);
  await rejects(publish(dir, { force: true }), 'E_CATALOG', /"versions" is not a list/);
  assert.equal(await tree(dir), ['acme/demo/metadata.json']);
});

test('publishes to one catalog at once: every version lands (the lock serialises them)', async () => {
  const dir = freshCatalog();
  const versions = ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '0.9.0'];
  const results = await Promise.all(versions.map((version, i) => publish(dir, { version, outputDir: i % 2 ? second.dir : first.dir })));
  assert.is(results.length, versions.length);
  const metadata = await json(join(dir, 'acme/demo/metadata.json'));
  assert.equal(metadata.versions.map((v: { version: string }) => v.version), ['0.9.0', '1.0.0', '1.1.0', '1.2.0', '2.0.0']);
  assert.is((await tree(dir)).length, versions.length + 1);
});

test('a cancelled publish stops and leaves no temporary file', async () => {
  const dir = freshCatalog();
  const controller = new AbortController();
  controller.abort();
  assert.instance(await rejection(publish(dir, { signal: controller.signal })), CancelledError);
  assert.equal(await tree(dir), []);
});

test('a cancel during the copy stops it and leaves no temporary file', async () => {
  const big = await fixtureOutput(join(root, 'big'), 'big');
  // A box of 64 MiB of noise (and a manifest to match), so the copy takes a while.
  const { randomBytes, createHash } = await import('node:crypto');
  const bytes = randomBytes(64 << 20);
  await writeFile(big.box, bytes);
  const manifest = await json(join(big.dir, 'manifest.json'));
  manifest.vagrant.checksum = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(big.dir, 'manifest.json'), JSON.stringify(manifest));
  const dir = freshCatalog();
  const controller = new AbortController();
  let copied = -1;
  const watch = setInterval(() => {
    const partial = existsSync(join(dir, 'acme/demo/1.0.0')) ? readdirSync(join(dir, 'acme/demo/1.0.0')).find((f) => f.endsWith('.partial')) : undefined;
    if (partial && copied < 0) {
      copied = statSync(join(dir, 'acme/demo/1.0.0', partial)).size;
      controller.abort();
    }
  }, 1);
  const error = await rejection(publish(dir, { outputDir: big.dir, signal: controller.signal }), 'the copy finished').finally(() => clearInterval(watch));
  assert.instance(error, CancelledError);
  assert.ok(copied >= 0 && copied < bytes.length, `cancelled after ${copied} of ${bytes.length} bytes`);
  assert.equal(await tree(dir), []);
});

test('install: when recording fails, a new box is removed and a replaced one put back', async () => {
  const dir = await scratch({ 'v/.new.partial': 'new', 'v/box': 'old', 'w/.new.partial': 'new' }, 'kiln-install-');
  const failing = async () => {
    throw new Error('disk full');
  };
  // Replacing: the old box is back under its name, the new one gone.
  assert.is((await rejection(install(join(dir, 'v/.new.partial'), join(dir, 'v/box'), failing))).message, 'disk full');
  assert.equal(await tree(join(dir, 'v')), ['box']);
  assert.is(await readFile(join(dir, 'v/box'), 'utf8'), 'old');
  // Adding: nothing left under the name.
  assert.is((await rejection(install(join(dir, 'w/.new.partial'), join(dir, 'w/box'), failing))).message, 'disk full');
  assert.equal(await tree(join(dir, 'w')), []);
  // Recording works: the new box in place, nothing aside.
  await writeFile(join(dir, 'v/.new.partial'), 'newer');
  let seen = '';
  await install(join(dir, 'v/.new.partial'), join(dir, 'v/box'), async () => {
    seen = await readFile(join(dir, 'v/box'), 'utf8');
  });
  assert.is(seen, 'newer', 'the box was not in place when the metadata was written');
  assert.equal(await tree(join(dir, 'v')), ['box']);
});

test.run();
