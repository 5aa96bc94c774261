// Two fetches of one URL at once, in one process and in two processes: one download,
// the other waits on the entry's lock and uses the first's file. Also a holder that
// died, and cancelling a wait.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledError } from '../../lib/errors.js';
import { memoryLog } from '../../lib/log/log.js';
import { urlEntry } from '../../lib/source/cache-layout.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import type { FetchedSource } from '../../lib/source/types.js';
import type { ChecksumSpec } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { startFileServer, type FileServer } from './file-server.js';

const iso = Buffer.from('an image two builds want at the same moment\n'.repeat(20000));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const none: ChecksumSpec = { kind: 'none' };
const good: ChecksumSpec = { kind: 'digest', algorithm: 'sha256', hex: sha256(iso) };

let server: FileServer;
let dir: string;
let cacheDir: string;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-source-race-'));
  cacheDir = join(dir, 'cache');
  server = await startFileServer({});
});
test.after.each(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `promise`, marked handled: a test that fails while it is pending must not crash the run. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

const downloads = (path: string) => server.requests.filter((r) => r.path === path).length;

for (const [label, checksum] of [['checksum none', none], ['a digest', good]] as const) {
  test(`in one process, ${label}: the second fetch waits and reuses the first's download`, async () => {
    const { opened, open } = gate();
    server.routes.set('/debian.iso', { body: iso, holdUntil: opened });
    const source = { urls: [server.url('/debian.iso')], checksum };
    const firstLog = memoryLog();
    const first = settledLater(fetchSource(source, { cacheDir, log: firstLog }));
    await until('the first request', () => downloads('/debian.iso') === 1);
    const secondLog = memoryLog();
    const second = settledLater(fetchSource(source, { cacheDir, log: secondLog }));
    await until('the second to wait', () => secondLog.lines.some((l) => l.includes('waiting for another kiln')));
    open();
    const [a, b] = await Promise.all([first, second]);
    assert.is(downloads('/debian.iso'), 1);
    assert.equal([a.cached, b.cached], [false, true]);
    assert.is(b.path, a.path);
    assert.is(b.checksum, a.checksum);
    assert.equal(await readFile(a.path), iso);
    assert.match(secondLog.lines.join('\n'), `waiting for another kiln (pid ${process.pid}) downloading ${server.url('/debian.iso')}`);
  });
}

test('in two processes: one downloads, the other waits for it and uses its file', async () => {
  const { opened, open } = gate();
  server.routes.set('/debian.iso', { body: iso, holdUntil: opened });
  const args = JSON.stringify({ urls: [server.url('/debian.iso')], checksum: none, cacheDir });
  const child = fileURLToPath(new URL('./fetch-child.js', import.meta.url));
  const run = () => {
    const proc = spawn(process.execPath, [child, '--child', args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const state = { out: '', exit: new Promise<number | null>((resolve) => proc.on('exit', resolve)) };
    proc.stdout.on('data', (chunk) => (state.out += chunk));
    return state;
  };
  const a = run();
  await until('the first process to request', () => downloads('/debian.iso') === 1);
  const b = run();
  await until('the second process to wait', () => b.out.includes('waiting for another kiln'));
  open();
  assert.equal(await Promise.all([a.exit, b.exit]), [0, 0], a.out + b.out);
  const result = (out: string) => JSON.parse(/^RESULT (.*)$/m.exec(out)![1]!) as FetchedSource;
  const [ra, rb] = [result(a.out), result(b.out)];
  assert.is(downloads('/debian.iso'), 1);
  assert.equal([ra.cached, rb.cached], [false, true]);
  assert.is(rb.path, ra.path);
  assert.equal(await readFile(ra.path), iso);
});

test('a lock left by a process that died is broken, not waited on', async () => {
  server.routes.set('/debian.iso', { body: iso });
  const url = server.url('/debian.iso');
  const entry = urlEntry(cacheDir, url);
  await mkdir(entry.dir, { recursive: true });
  // No pid is this large: the holder is certainly gone.
  const dead = { pid: 2147483646, host: hostname(), token: 'gone', since: new Date().toISOString() };
  await writeFile(entry.lock, JSON.stringify(dead));
  // A wait that never ends fails the test by timing out instead of hanging the run.
  const got = await fetchSource({ urls: [url], checksum: none }, { cacheDir, log: memoryLog(), signal: AbortSignal.timeout(10_000) });
  assert.equal(await readFile(got.path), iso);
});

test('cancelling while waiting for the lock: CancelledError, and the holder finishes undisturbed', async () => {
  const { opened, open } = gate();
  server.routes.set('/debian.iso', { body: iso, holdUntil: opened });
  const source = { urls: [server.url('/debian.iso')], checksum: none };
  const first = settledLater(fetchSource(source, { cacheDir, log: memoryLog() }));
  await until('the first request', () => downloads('/debian.iso') === 1);
  const controller = new AbortController();
  const log = memoryLog();
  const second = settledLater(fetchSource(source, { cacheDir, log, signal: controller.signal }));
  await until('the second to wait', () => log.lines.some((l) => l.includes('waiting for another kiln')));
  controller.abort();
  assert.instance(await kilnRejection(second), CancelledError);
  open();
  assert.equal(await readFile((await first).path), iso);
});

test.run();
