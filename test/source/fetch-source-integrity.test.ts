// Nothing incomplete or ambiguous reaches the cache, and no secret reaches a record or
// a log: bodies cut short, names that look like kiln's own files, SUMS files that list
// a name twice or per architecture, oversized SUMS files, URLs with credentials.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../../lib/log/log.js';
import { MAX_SUMS_BYTES } from '../../lib/source/checksum-file.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import type { ChecksumSpec } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { startFileServer, type FileServer } from './file-server.js';

const iso = Buffer.from('an installer image that must arrive whole\n'.repeat(20000));
const other = Buffer.from('the same installer for another architecture\n'.repeat(100));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const none: ChecksumSpec = { kind: 'none' };

let server: FileServer;
let dir: string;
let cacheDir: string;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-source-integrity-'));
  cacheDir = join(dir, 'cache');
  server = await startFileServer({});
});
test.after.each(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every file under dir, relative to it. */
async function filesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1));
}

const hits = (path: string) => server.requests.filter((r) => r.path === path).length;

test('checksum none, chunked body cut short: E_DOWNLOAD, and nothing in the cache', async () => {
  server.routes.set('/debian.iso', { body: iso, noLength: true, breakAfter: 100_000 });
  const error = await kilnRejection(fetchSource({ urls: [server.url('/debian.iso')], checksum: none }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, /broke off after \d+ bytes/);
  assert.equal(await filesIn(cacheDir), []);
  // The next build downloads it again, whole.
  server.routes.set('/debian.iso', { body: iso, noLength: true });
  const got = await fetchSource({ urls: [server.url('/debian.iso')], checksum: none }, { cacheDir, log: memoryLog() });
  assert.equal(await readFile(got.path), iso);
  assert.is((await fetchSource({ urls: [server.url('/debian.iso')], checksum: none }, { cacheDir, log: memoryLog() })).cached, true);
});

test('checksum none, body that ends with the connection: used once with a warning, never cached as complete', async () => {
  // Cut short or not, such a body looks the same; this one is cut short.
  server.routes.set('/debian.iso', { body: iso, closeDelimited: true, breakAfter: 100_000 });
  const log = memoryLog();
  const source = { urls: [server.url('/debian.iso')], checksum: none };
  const got = await fetchSource(source, { cacheDir, log });
  assert.ok(log.lines.some((l) => l.startsWith('warn:') && l.includes('cannot tell whether it arrived whole')), log.lines.join('\n'));
  assert.not.ok((await filesIn(cacheDir)).some((f) => f.endsWith('record.json')));
  server.routes.set('/debian.iso', { body: iso });
  const again = await fetchSource(source, { cacheDir, log: memoryLog() });
  assert.is(again.cached, false);
  assert.is(again.path, got.path);
  assert.equal(await readFile(again.path), iso);
  assert.is(hits('/debian.iso'), 2);
});

for (const name of ['source.json', 'record.json', 'lock', 'files', 'debian.iso.partial']) {
  test(`a URL ending in /${name} is cached like any other file`, async () => {
    server.routes.set(`/${name}`, { body: iso });
    const source = { urls: [server.url(`/${name}`)], checksum: none };
    const got = await fetchSource(source, { cacheDir, log: memoryLog() });
    assert.equal(await readFile(got.path), iso);
    const again = await fetchSource(source, { cacheDir, log: memoryLog() });
    assert.equal({ cached: again.cached, path: again.path, checksum: again.checksum }, { cached: true, path: got.path, checksum: `sha256:${sha256(iso)}` });
    assert.equal(await readFile(again.path), iso);
    assert.is(hits(`/${name}`), 1);
  });
}

test('SUMS listing arm64/disc.iso before amd64/disc.iso: the full relative path picks amd64', async () => {
  server.routes.set('/debian/amd64/disc.iso', { body: iso });
  server.routes.set('/debian/SHA256SUMS', { body: `${sha256(other)}  arm64/disc.iso\n${sha256(iso)}  amd64/disc.iso\n` });
  const checksum: ChecksumSpec = { kind: 'file', location: server.url('/debian/SHA256SUMS') };
  const got = await fetchSource({ urls: [server.url('/debian/amd64/disc.iso')], checksum }, { cacheDir, log: memoryLog() });
  assert.is(got.checksum, `sha256:${sha256(iso)}`);
  assert.equal(await readFile(got.path), iso);
});

test('SUMS listing the name twice with different digests: ambiguity reported, nothing downloaded', async () => {
  server.routes.set('/disc.iso', { body: iso });
  server.routes.set('/SHA256SUMS', { body: `${sha256(other)}  disc.iso\n${sha256(iso)} *disc.iso\n` });
  const location = server.url('/SHA256SUMS');
  const error = await kilnRejection(fetchSource({ urls: [server.url('/disc.iso')], checksum: { kind: 'file', location } }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `checksum file ${location} is ambiguous for "disc.iso": disc.iso (sha256:${sha256(other)}), disc.iso (sha256:${sha256(iso)})`);
  assert.ok(error.hint);
  assert.is(hits('/disc.iso'), 0);
});

test('SUMS with per-architecture paths and a URL that names no architecture: ambiguity reported', async () => {
  server.routes.set('/mirror/disc.iso', { body: iso });
  server.routes.set('/sums/SHA256SUMS', { body: `${sha256(other)}  arm64/disc.iso\n${sha256(iso)}  amd64/disc.iso\n` });
  const checksum: ChecksumSpec = { kind: 'file', location: server.url('/sums/SHA256SUMS') };
  const error = await kilnRejection(fetchSource({ urls: [server.url('/mirror/disc.iso')], checksum }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, 'arm64/disc.iso');
  assert.match(error.message, 'amd64/disc.iso');
  assert.is(hits('/mirror/disc.iso'), 0);
});

for (const [how, route] of [
  ['chunked, without a length', { noLength: true }],
  ['with a Content-Length', {}],
] as const) {
  test(`a SUMS file over ${MAX_SUMS_BYTES} bytes, ${how}, is refused naming the URL, the limit and the fix`, async () => {
    const line = `${sha256(iso)}  disc.iso\n`;
    server.routes.set('/SHA256SUMS', { body: line.repeat(Math.ceil((MAX_SUMS_BYTES + 1) / line.length)), ...route });
    server.routes.set('/disc.iso', { body: iso });
    const location = server.url('/SHA256SUMS');
    const error = await kilnRejection(fetchSource({ urls: [server.url('/disc.iso')], checksum: { kind: 'file', location } }, { cacheDir, log: memoryLog() }));
    assert.is(error.code, 'E_CHECKSUM');
    assert.match(error.message, `checksum file ${location} is`);
    assert.match(error.message, 'more than kiln reads whole (16M)');
    assert.match(error.hint ?? '', 'sha256:<hex>');
    assert.is(hits('/disc.iso'), 0);
  });
}

test('a local SUMS file over the limit is refused before it is read', async () => {
  const sums = join(dir, 'SHA256SUMS');
  await writeFile(sums, Buffer.alloc(MAX_SUMS_BYTES + 1, 0x20));
  server.routes.set('/disc.iso', { body: iso });
  const error = await kilnRejection(fetchSource({ urls: [server.url('/disc.iso')], checksum: { kind: 'file', location: sums } }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `checksum file ${sums} is 16.0M, more than kiln reads whole (16M)`);
});

test('credentials in URLs are sent as Basic auth, and never written to the cache, the log, the result or errors', async () => {
  const secrets = ['s3cret', 't0ken-value', 'sums-t0ken'];
  server.routes.set('/disc.iso', { body: iso, auth: 'kiln:s3cret' });
  server.routes.set('/SHA256SUMS', { body: `${sha256(iso)}  disc.iso\n`, auth: 'kiln:s3cret' });
  const withSecrets = (path: string, token: string) => server.url(path).replace('http://', 'http://kiln:s3cret@') + `?token=${token}`;
  const log = memoryLog();
  const unverified = await fetchSource({ urls: [withSecrets('/disc.iso', 't0ken-value')], checksum: none }, { cacheDir, log });
  const checksum: ChecksumSpec = { kind: 'file', location: withSecrets('/SHA256SUMS', 'sums-t0ken') };
  const verified = await fetchSource({ urls: [withSecrets('/disc.iso', 't0ken-value')], checksum }, { cacheDir, log });
  assert.equal(await readFile(verified.path), iso);
  assert.ok(server.requests.every((r) => r.authorization === `Basic ${Buffer.from('kiln:s3cret').toString('base64')}`));
  assert.ok(server.requests.some((r) => r.query === '?token=t0ken-value'), 'the query still reaches the server');
  assert.is(unverified.url, `http://***:***@127.0.0.1:${new URL(server.url('/')).port}/disc.iso?token=***`);

  server.routes.delete('/disc.iso');
  const error = await kilnRejection(fetchSource({ urls: [withSecrets('/disc.iso', 't0ken-value')], checksum: { kind: 'digest', algorithm: 'sha256', hex: 'a'.repeat(64) } }, { cacheDir, log }));
  const broken = await kilnRejection(fetchSource({ urls: ['http://kiln:s3cret@127.0.0.1:1/x.iso?token=t0ken-value'], checksum: none }, { cacheDir, log }));

  const written = await Promise.all((await filesIn(cacheDir)).filter((f) => !f.includes('/files/')).map((f) => readFile(join(cacheDir, f), 'utf8')));
  assert.ok(written.length > 0 && written.some((text) => text.includes('"url"')), 'a record was written');
  const everything = [...written, ...log.lines, JSON.stringify([unverified, verified]), error.message, broken.message, error.hint, broken.hint].join('\n');
  for (const secret of secrets) assert.not.ok(everything.includes(secret), `"${secret}" leaked:\n${everything}`);
});

test.run();
