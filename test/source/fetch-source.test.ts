// fetchSource against a local HTTP server: verification, SUMS files, fallbacks, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CancelledError } from '../../lib/errors.js';
import { memoryLog } from '../../lib/log/log.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import type { ChecksumSpec } from '../../lib/template/types.js';
import { startFileServer, type FileServer } from './file-server.js';
import { kilnRejection } from '../helpers/rejection.js';

const iso = Buffer.from('pretend this is an installer image\n'.repeat(5000));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');
const good: ChecksumSpec = { kind: 'digest', algorithm: 'sha256', hex: sha256(iso) };

let server: FileServer;
let cacheDir: string;

test.before.each(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'kiln-source-'));
  server = await startFileServer({
    '/debian.iso': { body: iso },
    '/SHA256SUMS': { body: `${'0'.repeat(64)}  other.iso\n${sha256(iso)} *debian.iso\n` },
    '/CHECKSUM': { body: `# signed\nSHA512 (debian.iso) = ${sha512(iso)}\n` },
  });
});
test.after.each(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

/** Every file under dir, relative to it. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}


test('digest ok: downloads into the cache keyed by the digest', async () => {
  const log = memoryLog();
  const got = await fetchSource({ urls: [server.url('/debian.iso')], checksum: good }, { cacheDir, log });
  assert.is(got.path, join(cacheDir, 'sources', 'v2', `sha256-${sha256(iso)}`, 'files', 'debian.iso'));
  assert.equal(await readFile(got.path), iso);
  assert.equal({ url: got.url, checksum: got.checksum, cached: got.cached }, {
    url: server.url('/debian.iso'),
    checksum: `sha256:${sha256(iso)}`,
    cached: false,
  });
  assert.equal(await filesIn(cacheDir), [`sources/v2/sha256-${sha256(iso)}/files/debian.iso`]);
});

test('progress reports received bytes and the total', async () => {
  const seen: [number, number | undefined][] = [];
  await fetchSource(
    { urls: [server.url('/debian.iso')], checksum: good },
    { cacheDir, log: memoryLog(), onProgress: (r, t) => seen.push([r, t]) },
  );
  assert.equal(seen.at(-1), [iso.length, iso.length]);
  assert.ok(seen.every(([r], i) => i === 0 || r >= seen[i - 1]![0]));
});

test('mismatch: names both digests and the file, and leaves nothing in the cache', async () => {
  const wrong = 'f'.repeat(64);
  const error = await kilnRejection(
    fetchSource({ urls: [server.url('/debian.iso')], checksum: { kind: 'digest', algorithm: 'sha256', hex: wrong } }, { cacheDir, log: memoryLog() }),
  );
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `expected sha256:${wrong}`);
  assert.match(error.message, `got sha256:${sha256(iso)}`);
  assert.match(error.message, 'debian.iso');
  assert.ok(error.hint);
  assert.equal(await filesIn(cacheDir), []);
});

test('SUMS file, GNU format: the entry for the file name is used', async () => {
  const spec: ChecksumSpec = { kind: 'file', location: server.url('/SHA256SUMS'), algorithm: 'sha256' };
  const got = await fetchSource({ urls: [server.url('/debian.iso')], checksum: spec }, { cacheDir, log: memoryLog() });
  assert.is(got.checksum, `sha256:${sha256(iso)}`);
  assert.match(got.path, /sources\/v2\/url-[0-9a-f]{32}\/files\/debian\.iso$/);
});

test('SUMS file, BSD format: the algorithm comes from the tag', async () => {
  const spec: ChecksumSpec = { kind: 'file', location: server.url('/CHECKSUM') };
  const got = await fetchSource({ urls: [server.url('/debian.iso')], checksum: spec }, { cacheDir, log: memoryLog() });
  assert.is(got.checksum, `sha512:${sha512(iso)}`);
});

test('SUMS file with a wrong entry is a mismatch', async () => {
  server.routes.set('/SHA256SUMS', { body: `${'1'.repeat(64)}  debian.iso\n` });
  const spec: ChecksumSpec = { kind: 'file', location: server.url('/SHA256SUMS') };
  const error = await kilnRejection(fetchSource({ urls: [server.url('/debian.iso')], checksum: spec }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `expected sha256:${'1'.repeat(64)} (from ${server.url('/SHA256SUMS')})`);
  assert.equal(await filesIn(cacheDir), []);
});

test('SUMS file without the entry: names the file searched and the SUMS location', async () => {
  server.routes.set('/renamed.iso', { body: iso });
  const spec: ChecksumSpec = { kind: 'file', location: server.url('/SHA256SUMS') };
  const error = await kilnRejection(fetchSource({ urls: [server.url('/renamed.iso')], checksum: spec }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `checksum file ${server.url('/SHA256SUMS')} has no entry for "renamed.iso"`);
  assert.ok(!server.requests.some((r) => r.path === '/renamed.iso'), 'nothing downloaded without a digest to check');
});

test('falls back to the second URL, warning about the first', async () => {
  const log = memoryLog();
  const first = server.url('/gone/debian.iso');
  const got = await fetchSource({ urls: [first, server.url('/debian.iso')], checksum: good }, { cacheDir, log });
  assert.is(got.url, server.url('/debian.iso'));
  assert.ok(log.lines.some((l) => l.startsWith(`warn: source: ${first}: HTTP 404 Not Found from ${first}`)), log.lines.join('\n'));
});

test('all URLs fail: E_DOWNLOAD lists each URL and why', async () => {
  const gone = server.url('/gone.iso');
  const refused = `http://127.0.0.1:${await closedPort()}/debian.iso`;
  const error = await kilnRejection(fetchSource({ urls: [gone, refused], checksum: good }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, 'any of its 2 locations');
  assert.match(error.message, `${gone}: HTTP 404 Not Found`);
  assert.match(error.message, `${refused}: cannot reach ${refused}: `);
  assert.match(error.message, 'ECONNREFUSED');
  assert.ok(error.hint);
});

test('404 names the status and the URL', async () => {
  const url = server.url('/nope.iso');
  const error = await kilnRejection(fetchSource({ urls: [url], checksum: good }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.is(error.message, `HTTP 404 Not Found from ${url}`);
  assert.match(error.hint ?? '', /update the URL/);
});

test('cache hit makes no request at all', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: good };
  await fetchSource(source, { cacheDir, log: memoryLog() });
  const before = server.requests.length;
  const got = await fetchSource(source, { cacheDir, log: memoryLog() });
  assert.is(got.cached, true);
  assert.is(server.requests.length, before);
});

test('a cached digest is found under another mirror name', async () => {
  await fetchSource({ urls: [server.url('/debian.iso')], checksum: good }, { cacheDir, log: memoryLog() });
  const before = server.requests.length;
  const got = await fetchSource({ urls: ['http://127.0.0.1:1/mirror/debian-12.iso'], checksum: good }, { cacheDir, log: memoryLog() });
  assert.ok(got.cached && got.path.endsWith('/debian.iso'));
  assert.is(server.requests.length, before);
});

test('abort mid-download: CancelledError and nothing left behind', async () => {
  server.routes.set('/slow.iso', { body: iso, stallAfter: 4096 });
  const controller = new AbortController();
  const pending = fetchSource(
    { urls: [server.url('/slow.iso')], checksum: good },
    { cacheDir, log: memoryLog(), signal: controller.signal, onProgress: (received) => received > 0 && controller.abort() },
  );
  const error = await kilnRejection(pending);
  assert.instance(error, CancelledError);
  assert.equal(await filesIn(cacheDir), []);
});

test('HTTP source with checksum none: warns, keys the cache by URL, still reports sha256', async () => {
  const log = memoryLog();
  const got = await fetchSource({ urls: [server.url('/debian.iso')], checksum: { kind: 'none' } }, { cacheDir, log });
  assert.is(log.lines.filter((l) => l.startsWith('warn:')).length, 1);
  assert.match(log.lines.find((l) => l.startsWith('warn:'))!, /will not be verified/);
  assert.match(got.path, /sources\/v2\/url-[0-9a-f]{32}\/files\/debian\.iso$/);
  assert.is(got.checksum, `sha256:${sha256(iso)}`);
  const before = server.requests.length;
  assert.is((await fetchSource({ urls: [server.url('/debian.iso')], checksum: { kind: 'none' } }, { cacheDir, log })).cached, true);
  assert.is(server.requests.length, before);
});

test('local SUMS file and file:// source', async () => {
  const dir = join(cacheDir, 'isos');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'debian.iso'), iso);
  await writeFile(join(dir, 'SHA256SUMS'), `${sha256(iso)}  debian.iso\n`);
  const got = await fetchSource(
    { urls: [`file://${dir}/debian.iso`], checksum: { kind: 'file', location: join(dir, 'SHA256SUMS') } },
    { cacheDir, log: memoryLog() },
  );
  assert.is(got.path, join(dir, 'debian.iso'));
  assert.is(server.requests.length, 0);
});

test.run();
