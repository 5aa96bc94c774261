// fetchSource's memory between builds: local verification records, offline use of
// a SUMS-verified download, resuming partial downloads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../../lib/log/log.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import { digestMemoPath } from '../../lib/source/cache-layout.js';
import { sourceIdentity } from '../../lib/cache/source-identity.js';
import type { ChecksumSpec } from '../../lib/template/types.js';
import { startFileServer, type FileServer } from './file-server.js';
import { kilnRejection } from '../helpers/rejection.js';

const iso = Buffer.from('an installer image, a little larger than one chunk\n'.repeat(20000));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const good: ChecksumSpec = { kind: 'digest', algorithm: 'sha256', hex: sha256(iso) };

let server: FileServer;
let dir: string;
let cacheDir: string;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-source-cache-'));
  cacheDir = join(dir, 'cache');
  server = await startFileServer({ '/debian.iso': { body: iso }, '/SHA256SUMS': { body: `${sha256(iso)}  debian.iso\n` } });
});
test.after.each(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});


test('local path: used in place, verified, and the verification remembered by size and mtime', async () => {
  const local = join(dir, 'debian.iso');
  await writeFile(local, iso);
  // A whole-second mtime, so setting it again below reproduces it exactly.
  const mtime = new Date('2024-05-01T12:00:00Z');
  await utimes(local, mtime, mtime);
  const log = memoryLog();
  const got = await fetchSource({ urls: [local], checksum: good }, { cacheDir, log });
  assert.equal(got, { path: local, url: local, checksum: `sha256:${sha256(iso)}`, cached: false });
  assert.ok(log.lines.some((l) => l === `info: source: verifying ${local} (sha256)`));
  assert.equal(await readdir(cacheDir), ['digests'], 'never copied into the cache');

  // Same size and mtime: trusted without hashing, which this altered content proves.
  const altered = Buffer.from(iso).fill(0x41, 0, 10);
  await writeFile(local, altered);
  await utimes(local, mtime, mtime);
  const again = memoryLog();
  await fetchSource({ urls: [local], checksum: good }, { cacheDir, log: again });
  assert.not.ok(again.lines.some((l) => l.includes('verifying')));

  // A new mtime means hashing again; the mismatch names the local file and leaves it alone.
  await utimes(local, new Date(), new Date(Date.now() + 5000));
  const error = await kilnRejection(fetchSource({ urls: [local], checksum: good }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `got sha256:${sha256(altered)} (local file ${local})`);
  assert.equal(await readFile(local), altered);
});

test('local path: one digest memo serves the source check and the stage cache, neither erasing the other', async () => {
  const local = join(dir, 'debian.iso');
  await writeFile(local, iso);
  const mtime = new Date('2024-05-01T12:00:00Z');
  await utimes(local, mtime, mtime);
  const sha512 = createHash('sha512').update(iso).digest('hex');
  const source = { urls: [local], checksum: { kind: 'digest', algorithm: 'sha512', hex: sha512 } as const };
  await fetchSource(source, { cacheDir, log: memoryLog() });
  // The stage cache hashes sha256 and adds it to the same memo...
  assert.is(await sourceIdentity(cacheDir, { path: local }), `sha256:${sha256(iso)}`);
  // ...which both then trust without hashing (proved by bytes that no longer match, same size and mtime).
  await writeFile(local, Buffer.from(iso).fill(0x41, 0, 10));
  await utimes(local, mtime, mtime);
  assert.is(await sourceIdentity(cacheDir, { path: local }), `sha256:${sha256(iso)}`);
  const log = memoryLog();
  await fetchSource(source, { cacheDir, log });
  assert.not.ok(log.lines.some((l) => l.includes('verifying')), log.lines.join('\n'));
  // And the sha512 verification still stands for an offline build.
  const memo = JSON.parse(await readFile(digestMemoPath(cacheDir, local), 'utf8'));
  assert.equal(Object.keys(memo.digests).sort(), ['sha256', 'sha512']);
  assert.equal({ algorithm: memo.verified.algorithm, hex: memo.verified.hex }, { algorithm: 'sha512', hex: sha512 });
});

test('local path: missing is E_SOURCE; checksum none is not hashed', async () => {
  const missing = join(dir, 'missing.iso');
  const error = await kilnRejection(fetchSource({ urls: [missing], checksum: good }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_SOURCE');
  assert.match(error.message, missing);
  const local = join(dir, 'debian.iso');
  await writeFile(local, iso);
  assert.equal(await fetchSource({ urls: [local], checksum: { kind: 'none' } }, { cacheDir, log: memoryLog() }), {
    path: local,
    url: local,
    cached: false,
  });
});

test('offline: when the SUMS file cannot be fetched, a download verified before is reused with a warning', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: { kind: 'file', location: server.url('/SHA256SUMS') } as const };
  const first = await fetchSource(source, { cacheDir, log: memoryLog() });
  server.routes.delete('/SHA256SUMS');
  const log = memoryLog();
  const isoRequests = () => server.requests.filter((r) => r.path === '/debian.iso').length;
  const before = isoRequests();
  const again = await fetchSource(source, { cacheDir, log });
  assert.equal(again, { ...first, cached: true });
  assert.is(isoRequests(), before);
  assert.ok(log.lines.some((l) => l.startsWith('warn: source: HTTP 404 Not Found from checksum file') && l.includes(`matched sha256:${sha256(iso)}`)), log.lines.join('\n'));
});

test('offline: a local file verified before is used without its SUMS file, with a warning', async () => {
  const local = join(dir, 'debian.iso');
  await writeFile(local, iso);
  const source = { urls: [local], checksum: { kind: 'file', location: server.url('/SHA256SUMS') } as const };
  await fetchSource(source, { cacheDir, log: memoryLog() });
  server.routes.delete('/SHA256SUMS');
  const log = memoryLog();
  assert.is((await fetchSource(source, { cacheDir, log })).path, local);
  assert.ok(log.lines.some((l) => l.startsWith('warn: source: HTTP 404') && l.includes(`using ${local}, which matched`)), log.lines.join('\n'));
});

test('offline with nothing cached: the SUMS failure itself is reported', async () => {
  const location = server.url('/MISSING-SUMS');
  const error = await kilnRejection(fetchSource({ urls: [server.url('/debian.iso')], checksum: { kind: 'file', location } }, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, `HTTP 404 Not Found from checksum file ${location}`);
  assert.not.ok(server.requests.some((r) => r.path === '/debian.iso'));
});

test('a SUMS file listing a new digest makes the cached copy stale', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: { kind: 'file', location: server.url('/SHA256SUMS') } as const };
  await fetchSource(source, { cacheDir, log: memoryLog() });
  const updated = Buffer.concat([iso, Buffer.from('point release\n')]);
  server.routes.set('/debian.iso', { body: updated });
  server.routes.set('/SHA256SUMS', { body: `${sha256(updated)}  debian.iso\n` });
  const got = await fetchSource(source, { cacheDir, log: memoryLog() });
  assert.is(got.cached, false);
  assert.equal(await readFile(got.path), updated);
});

test('resume: a broken download continues with a Range request', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: good };
  server.routes.set('/debian.iso', { body: iso, breakAfter: 300_000 });
  const error = await kilnRejection(fetchSource(source, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, /broke off after \d+ bytes/);
  const partials = join(cacheDir, 'sources', 'v2', `sha256-${sha256(iso)}`, 'partial');
  const [left, ...more] = await readdir(partials);
  assert.equal(more, [], 'one partial file');
  assert.match(left!, new RegExp(`^${process.pid}-[0-9a-f]{8}\\.partial$`));
  const partial = join(partials, left!);
  const kept = (await stat(partial)).size;
  assert.ok(kept > 0 && kept < iso.length);

  server.routes.set('/debian.iso', { body: iso });
  const log = memoryLog();
  const progress: number[] = [];
  const got = await fetchSource(source, { cacheDir, log, onProgress: (r) => progress.push(r) });
  assert.is(server.requests.at(-1)!.range, `bytes=${kept}-`);
  assert.equal(await readFile(got.path), iso);
  assert.is(progress[0], kept);
  assert.ok(log.lines.includes(`info: source: resuming debian.iso at byte ${kept}`));
  assert.equal(await readdir(partials), [], 'the partial became the file');
});

test('resume: a server that ignores Range gets the whole file again', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: good };
  server.routes.set('/debian.iso', { body: iso, breakAfter: 300_000 });
  await kilnRejection(fetchSource(source, { cacheDir, log: memoryLog() }));
  server.routes.set('/debian.iso', { body: iso, noRanges: true });
  const got = await fetchSource(source, { cacheDir, log: memoryLog() });
  assert.equal(await readFile(got.path), iso);
});

test('resume: a damaged partial fails the check and is deleted', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: good };
  // Left by a process that is gone (no pid is this large).
  const partial = join(cacheDir, 'sources', 'v2', `sha256-${sha256(iso)}`, 'partial', '2147483646-0badf00d.partial');
  await mkdir(join(partial, '..'), { recursive: true });
  await writeFile(partial, Buffer.alloc(1000, 0x58));
  const error = await kilnRejection(fetchSource(source, { cacheDir, log: memoryLog() }));
  assert.is(error.code, 'E_CHECKSUM');
  assert.not.ok(await stat(partial).catch(() => undefined));
});

test('no resume without a checksum: the partial is discarded', async () => {
  const source = { urls: [server.url('/debian.iso')], checksum: { kind: 'none' } as const };
  server.routes.set('/debian.iso', { body: iso, breakAfter: 300_000 });
  await kilnRejection(fetchSource(source, { cacheDir, log: memoryLog() }));
  server.routes.set('/debian.iso', { body: iso });
  const got = await fetchSource(source, { cacheDir, log: memoryLog() });
  assert.is(server.requests.at(-1)!.range, undefined);
  assert.equal(await readFile(got.path), iso);
});

test.run();
