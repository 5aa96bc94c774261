// kiln's package cache against local mirrors: what it stores, when it asks upstream
// again, what it answers offline, and what it records and counts.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent } from 'undici';
import type { KilnError } from '../../lib/errors.js';
import { startPackageCache } from '../../lib/package-cache/index.js';
import { ProxyRoutes } from '../../lib/source/proxy-routes.js';
import { startMirror, type MirrorServer } from '../helpers/mirror-server.js';
import { connectViaProxy, viaProxy } from '../helpers/proxy-client.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

const exec = promisify(execFile);
const quiet = { info() {}, warn() {}, debug() {}, output() {} };

const open: { close(): Promise<void> }[] = [];
test.after.each(async () => {
  for (const thing of open.splice(0)) await thing.close();
});
test.after(removeScratch);

async function cache(options: { cacheDir?: string; offline?: boolean; ca?: string } = {}) {
  const cacheDir = options.cacheDir ?? (await scratch());
  const misses: KilnError[] = [];
  const dispatcher = new Agent(options.ca ? { connect: { ca: options.ca } } : {});
  const proxy = await startPackageCache({
    cacheDir,
    offline: options.offline ?? false,
    dispatcher,
    routes: new ProxyRoutes(),
    log: quiet,
    onOfflineMiss: (error) => misses.push(error),
  });
  open.push(proxy, { close: () => dispatcher.close() });
  return { proxy, cacheDir, misses };
}

async function mirror(files: Record<string, string>, extra: Parameters<typeof startMirror>[0] = {}): Promise<MirrorServer> {
  const server = await startMirror({ files, ...extra });
  open.push(server);
  return server;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const REPO = {
  '/debian/dists/stable/InRelease': 'index v1',
  '/debian/pool/main/h/hello/hello_1.0_all.deb': 'a package',
};

test('a package is fetched once: the second request is a hit that asks nothing upstream', async () => {
  const upstream = await mirror(REPO);
  const { proxy } = await cache();
  const url = `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`;
  const first = await viaProxy(proxy.port, url);
  const second = await viaProxy(proxy.port, url);
  assert.is(first.body.toString(), 'a package');
  assert.is(second.body.toString(), 'a package');
  assert.is(first.headers['x-kiln-cache'], 'miss');
  assert.is(second.headers['x-kiln-cache'], 'hit');
  assert.equal(upstream.requests, ['GET /debian/pool/main/h/hello/hello_1.0_all.deb 200']);
  assert.is(proxy.stats.hits, 1);
  assert.is(proxy.stats.misses, 1);
  assert.is(proxy.stats.bytes_upstream, 9);
  assert.is(proxy.stats.bytes_served, 18);
});

test('concurrent requests for one URL fetch it upstream once', async () => {
  const upstream = await mirror(REPO, { delayMs: 200 });
  const { proxy } = await cache();
  const url = `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`;
  const answers = await Promise.all([1, 2, 3, 4].map(() => viaProxy(proxy.port, url)));
  assert.equal(answers.map((a) => a.body.toString()), Array(4).fill('a package'));
  assert.is(upstream.requests.length, 1);
  assert.is(proxy.stats.misses, 1);
  assert.is(proxy.stats.hits, 3);
  assert.is(proxy.stats.bytes_upstream, 9);
});

test('an index file is revalidated online: unchanged is a 304 upstream, changed is fetched again', async () => {
  const upstream = await mirror(REPO);
  const { proxy } = await cache();
  const url = `${upstream.url}/debian/dists/stable/InRelease`;
  await viaProxy(proxy.port, url);
  const unchanged = await viaProxy(proxy.port, url);
  upstream.files.set('/debian/dists/stable/InRelease', Buffer.from('index v2'));
  const changed = await viaProxy(proxy.port, url);
  assert.is(unchanged.body.toString(), 'index v1');
  assert.is(unchanged.headers['x-kiln-cache'], 'revalidated');
  assert.is(changed.body.toString(), 'index v2');
  assert.equal(upstream.requests, ['GET /debian/dists/stable/InRelease 200', 'GET /debian/dists/stable/InRelease 304', 'GET /debian/dists/stable/InRelease 200']);
  assert.is(proxy.stats.revalidated, 1);
  assert.is(proxy.stats.misses, 2);
});

test('offline: what is stored is served pinned (index files too), without asking upstream', async () => {
  const upstream = await mirror(REPO);
  const online = await cache();
  for (const path of Object.keys(REPO)) await viaProxy(online.proxy.port, `${upstream.url}${path}`);
  upstream.files.set('/debian/dists/stable/InRelease', Buffer.from('index v2'));
  const offline = await cache({ cacheDir: online.cacheDir, offline: true });
  const index = await viaProxy(offline.proxy.port, `${upstream.url}/debian/dists/stable/InRelease`);
  const deb = await viaProxy(offline.proxy.port, `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`);
  assert.is(index.body.toString(), 'index v1');
  assert.is(deb.body.toString(), 'a package');
  assert.is(upstream.requests.length, 2, 'offline asked upstream');
  assert.is(offline.proxy.stats.hits, 2);
  assert.equal(offline.misses, []);
});

test('offline: a URL that was never fetched is a 504 to the guest and an offline miss naming it', async () => {
  const { proxy, misses } = await cache({ offline: true });
  const url = 'http://deb.example.invalid/debian/pool/main/x/x_1_all.deb';
  const answer = await viaProxy(proxy.port, url);
  assert.is(answer.status, 504);
  assert.match(answer.body.toString(), /requested by the guest is not in kiln's package cache/);
  assert.is(misses.length, 1);
  assert.is(misses[0]!.code, 'E_PACKAGE_CACHE');
  assert.match(misses[0]!.message, `offline: ${url} requested by the guest`);
  assert.match(misses[0]!.hint ?? '', /kiln bundle export/);
});

test('a 404 upstream is passed on, stored and recorded, so that offline answers it the same', async () => {
  const upstream = await mirror(REPO);
  const online = await cache();
  const url = `${upstream.url}/debian/dists/stable/Release.gpg`;
  assert.is((await viaProxy(online.proxy.port, url)).status, 404);
  assert.equal(online.proxy.recording.lock().entries, [{ url, status: 404 }]);
  const offline = await cache({ cacheDir: online.cacheDir, offline: true });
  assert.is((await viaProxy(offline.proxy.port, url)).status, 404);
  assert.equal(offline.misses, []);
});

test('the recording lists every file served, index files included, with size and sha256, in URL order', async () => {
  const upstream = await mirror(REPO);
  const { proxy } = await cache();
  for (const path of Object.keys(REPO).reverse()) await viaProxy(proxy.port, `${upstream.url}${path}`);
  await viaProxy(proxy.port, `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`);
  assert.equal(proxy.recording.lock(), {
    version: 1,
    entries: [
      { url: `${upstream.url}/debian/dists/stable/InRelease`, status: 200, size: 8, sha256: sha256('index v1') },
      { url: `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`, status: 200, size: 9, sha256: sha256('a package') },
    ],
  });
});

test('HEAD answers the headers of the stored file without a body', async () => {
  const upstream = await mirror(REPO);
  const { proxy } = await cache();
  const answer = await viaProxy(proxy.port, `${upstream.url}/debian/pool/main/h/hello/hello_1.0_all.deb`, 'HEAD');
  assert.is(answer.status, 200);
  assert.is(answer.headers['content-length'], '9');
  assert.is(answer.body.length, 0);
});

test('http://HTTPS///host/path and /HTTPS///host/path are fetched over https upstream and cached', async () => {
  const dir = await scratch();
  await exec('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const tls = { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  const upstream = await mirror(REPO, { tls });
  const { proxy } = await cache({ ca: tls.cert });
  const host = `127.0.0.1:${upstream.port}`;
  const asUrl = await viaProxy(proxy.port, `http://HTTPS///${host}/debian/pool/main/h/hello/hello_1.0_all.deb`);
  const asPath = await viaProxy(proxy.port, `/HTTPS///${host}/debian/pool/main/h/hello/hello_1.0_all.deb`);
  assert.is(asUrl.status, 200);
  assert.is(asUrl.body.toString(), 'a package');
  assert.is(asPath.headers['x-kiln-cache'], 'hit');
  assert.equal(upstream.requests, ['GET /debian/pool/main/h/hello/hello_1.0_all.deb 200']);
  assert.equal(proxy.recording.lock().entries.map((e) => e.url), [`https://${host}/debian/pool/main/h/hello/hello_1.0_all.deb`]);
});

test('CONNECT is passed through to the destination and counted as uncacheable', async () => {
  const echo: Server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise((resolve) => echo.close(() => resolve())) });
  const { proxy } = await cache();
  const port = (echo.address() as { port: number }).port;
  const { status, socket } = await connectViaProxy(proxy.port, `127.0.0.1:${port}`);
  assert.is(status, 200);
  const echoed = await new Promise<string>((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    socket.write('through the tunnel');
  });
  socket.destroy();
  assert.is(echoed, 'through the tunnel');
  assert.is(proxy.stats.uncacheable, 1);
  assert.is(proxy.recording.size, 0);
});

test('offline: a CONNECT is refused with 504 and is an offline miss', async () => {
  const { proxy, misses } = await cache({ offline: true });
  const { status, socket } = await connectViaProxy(proxy.port, 'deb.example.invalid:443');
  socket.destroy();
  assert.is(status, 504);
  assert.match(misses[0]?.message ?? '', /CONNECT deb\.example\.invalid:443\) requested by the guest/);
});

test('a request that is not a proxy request is answered 400, saying how to use the cache', async () => {
  const { proxy } = await cache();
  const answer = await viaProxy(proxy.port, '/debian/dists/stable/InRelease');
  assert.is(answer.status, 400);
  assert.match(answer.body.toString(), /not a proxy request/);
  assert.is(proxy.stats.errors, 1);
});

test.run();
