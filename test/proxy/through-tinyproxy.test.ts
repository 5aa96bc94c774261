// Downloads through a real proxy (tinyproxy on 127.0.0.1): sources and SUMS files go
// through it and show in its log, NO_PROXY and the loopback rule keep them away from
// it, and a proxy that refuses (407, 403 to CONNECT, nothing listening) is an
// E_DOWNLOAD naming it (masked), its answer and the fix.
//
// Bodies stay small: undici (every version that runs on Node 20, Node's own fetch too)
// fails a body with "other side closed" when the server closes a keep-alive connection
// right after a complete response it has not read yet, which tinyproxy always does;
// see docs/template.md.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import { ProxyRoutes } from '../../lib/source/proxy-routes.js';
import { resolveProxySettings, type ProxyInputs } from '../../lib/source/proxy-settings.js';
import { findFreePort } from '../../lib/util/free-port.js';
import type { ChecksumSpec } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch } from '../helpers/scratch-dir.js';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy.js';
import { startFileServer, type FileServer } from '../source/file-server.js';

const PASSWORD = 'pr0xy-S3cret_pw';
const iso = Buffer.from('an installer image, through a proxy\n'.repeat(200));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const good: ChecksumSpec = { kind: 'digest', algorithm: 'sha256', hex: sha256(iso) };

let server: FileServer;
let proxy: Tinyproxy;
let cacheDir: string;

test.before(async () => {
  proxy = await startTinyproxy({ auth: { user: 'kiln', password: PASSWORD } });
});
test.after(async () => {
  await proxy.stop();
  await removeScratch();
});
test.before.each(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'kiln-proxy-'));
  server = await startFileServer({ '/disc.iso': { body: iso }, '/SHA256SUMS': { body: `${sha256(iso)}  disc.iso\n` } });
});
test.after.each(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

/** fetchSource with the routes `inputs` resolve to; the routes are closed after. */
async function fetchVia(inputs: Partial<ProxyInputs>, url: string, checksum: ChecksumSpec = good) {
  const log = memoryLog();
  const routes = new ProxyRoutes(resolveProxySettings({ env: {}, ...inputs }));
  try {
    return { got: await fetchSource({ urls: [url], checksum }, { cacheDir, log, routes }), log };
  } finally {
    await routes.close();
  }
}

/** The requests the proxy saw since `before` (its log grows through the suite). */
async function seenSince(before: number): Promise<string[]> {
  return (await proxy.requests()).slice(before);
}

test('an http source and its SUMS file go through the proxy, absolute-form, with its credentials', async () => {
  const before = (await proxy.requests()).length;
  const url = server.url('/disc.iso');
  const { got, log } = await fetchVia({ flag: proxy.urlWithAuth() }, url, { kind: 'file', location: server.url('/SHA256SUMS') });
  assert.is(got.checksum, `sha256:${sha256(iso)}`);
  assert.equal(await seenSince(before), [`GET ${server.url('/SHA256SUMS')}`, `GET ${url}`]);
  assert.equal(server.requests.map((r) => r.path), ['/SHA256SUMS', '/disc.iso']);
  const said = log.lines.join('\n');
  assert.match(said, `downloading ${url} through proxy http://***:***@127.0.0.1:${proxy.port}`);
  assert.not.match(said, PASSWORD);
});

test('NO_PROXY covering the host: straight to the server, nothing through the proxy', async () => {
  for (const noProxy of ['127.0.0.1', `127.0.0.1:${new URL(server.url('/')).port}`, '127.0.0.0/8', '*']) {
    const before = (await proxy.requests()).length;
    await rm(cacheDir, { recursive: true, force: true });
    const { got } = await fetchVia({ flag: proxy.urlWithAuth(), env: { NO_PROXY: noProxy } }, server.url('/disc.iso'));
    assert.is(got.cached, false, noProxy);
    assert.equal(await seenSince(before), [], `NO_PROXY=${noProxy}`);
  }
});

test('a proxy from the environment is not used for this host (loopback); the template\'s is', async () => {
  const before = (await proxy.requests()).length;
  await fetchVia({ env: { HTTP_PROXY: proxy.urlWithAuth() } }, server.url('/disc.iso'));
  assert.equal(await seenSince(before), []);
  await rm(cacheDir, { recursive: true, force: true });
  await fetchVia({ template: { upstream: proxy.urlWithAuth() }, env: { HTTP_PROXY: 'http://127.0.0.1:9' } }, server.url('/disc.iso'));
  assert.equal(await seenSince(before), [`GET ${server.url('/disc.iso')}`]);
});

test('407 without credentials: E_DOWNLOAD naming the proxy, the answer and where the login goes', async () => {
  const error = await kilnRejection(fetchVia({ flag: proxy.url }, server.url('/disc.iso')));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, `proxy ${proxy.url} (--proxy) answered 407 Proxy Authentication Required to GET ${server.url('/disc.iso')}`);
  assert.match(error.hint ?? '', 'put user:password@ before the host in --proxy');
  assert.equal(server.requests, []);
});

test('401 to CONNECT (https) with a wrong password: the proxy masked, the credentials named', async () => {
  const port = new URL(server.url('/')).port;
  const wrong = proxy.urlWithAuth('kiln', 'not-the-password');
  const error = await kilnRejection(fetchVia({ template: { upstream: wrong } }, `https://127.0.0.1:${port}/disc.iso`));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, `proxy http://***:***@127.0.0.1:${proxy.port} (proxy.upstream) answered 401 Unauthorized to CONNECT 127.0.0.1:${port}`); // tinyproxy's answer to wrong credentials
  assert.match(error.hint ?? '', "refused the user name and password in the template's proxy.upstream");
  assert.not.match(`${error.message} ${error.hint}`, 'not-the-password');
});

test('403 to CONNECT (a port the proxy does not allow): E_DOWNLOAD with the way around it', async () => {
  const strict = await startTinyproxy({ connectPorts: [443] });
  try {
    const port = new URL(server.url('/')).port;
    const error = await kilnRejection(fetchVia({ flag: strict.url }, `https://127.0.0.1:${port}/disc.iso`));
    assert.is(error.code, 'E_DOWNLOAD');
    assert.match(error.message, `proxy ${strict.url} (--proxy) answered 403 Forbidden to CONNECT 127.0.0.1:${port}`);
    assert.match(error.hint ?? '', 'list 127.0.0.1 in NO_PROXY');
    assert.equal(await strict.requests(), [`CONNECT 127.0.0.1:${port}`]);
  } finally {
    await strict.stop();
  }
});

test('a proxy that refuses the connection: E_DOWNLOAD "cannot reach proxy", credentials masked', async () => {
  const dead = await findFreePort();
  const error = await kilnRejection(fetchVia({ env: { https_proxy: `http://kiln:${PASSWORD}@127.0.0.1:${dead}` } }, 'https://deb.debian.org/x.iso'));
  assert.is(error.code, 'E_DOWNLOAD');
  assert.match(error.message, `cannot reach proxy http://***:***@127.0.0.1:${dead} (https_proxy) for https://deb.debian.org/x.iso`);
  assert.match(error.message, 'ECONNREFUSED');
  assert.match(error.hint ?? '', 'check that the proxy runs and that https_proxy names it');
  assert.not.match(`${error.message} ${error.hint}`, PASSWORD);
});

test('a failing SUMS file through the proxy says so', async () => {
  const error = await kilnRejection(fetchVia({ flag: proxy.urlWithAuth() }, server.url('/disc.iso'), { kind: 'file', location: server.url('/MISSING') }));
  assert.match(error.message, `HTTP 404 Not Found from checksum file ${server.url('/MISSING')} through proxy http://***:***@127.0.0.1:${proxy.port}`);
});

test.run();
