// `kiln build` through a real proxy, as a user runs it: --proxy over the template's
// proxy.upstream, https through CONNECT (a self-signed server trusted through
// NODE_EXTRA_CA_CERTS), the proxy named in the log, and its password in no output:
// not stderr, not --json, not build.log. The source's checksum is wrong on purpose: the
// build then stops in fetch-source, after the download, before any VM.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findFreePort } from '../../lib/util/free-port.js';
import { runKiln } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy.js';
import { startFileServer, type FileServer } from '../source/file-server.js';
import { lines } from '../template/scratch.js';

const PASSWORD = 'Pr0xy-pass_word.42';
const formsOf = (s: string) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64').slice(0, 16), Buffer.from(`kiln:${s}`).toString('base64').slice(0, 16)];
const iso = Buffer.from('a small image behind a proxy\n'.repeat(200));
const sha256 = createHash('sha256').update(iso).digest('hex');
const WRONG = '0'.repeat(64);

let proxy: Tinyproxy;
let http: FileServer;
let https: Server;
let certFile: string;

test.before(async () => {
  proxy = await startTinyproxy({ auth: { user: 'kiln', password: PASSWORD } });
  http = await startFileServer({ '/disc.iso': { body: iso } });
  const dir = await scratch({}, 'kiln-tls-');
  certFile = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', certFile,
  ]);
  https = createServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(certFile) }, (req, res) => {
    if (req.url === '/disc.iso') res.writeHead(200, { 'content-length': iso.length }).end(iso);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
});
test.after(async () => {
  await proxy.stop();
  await http.close();
  https.closeAllConnections();
  await new Promise((resolve) => https.close(resolve));
  await removeScratch();
});

const template = (url: string, extra: string[] = []) =>
  lines('name: proxied', 'source:', `  iso: { url: "${url}", checksum: "sha256:${WRONG}" }`, 'ssh: { username: kiln, password: kiln }', ...extra, 'output: { directory: out }');

function assertNoPassword(where: string, text: string): void {
  for (const form of formsOf(PASSWORD)) assert.not.ok(text.includes(form), `${where} shows the proxy password as ${JSON.stringify(form)}:\n${text}`);
}

test('--proxy over proxy.upstream: the download goes through it, the log names it masked, the password is nowhere', async () => {
  const dead = await findFreePort();
  const url = http.url('/disc.iso');
  const dir = await scratch({ 'kiln.yaml': template(url, [`proxy: { upstream: "http://kiln:${PASSWORD}@127.0.0.1:${dead}" }`]) });
  const before = (await proxy.requests()).length;
  const run = await runKiln(['build', 'kiln.yaml', '--json', '--verbose', '--proxy', proxy.urlWithAuth()], { cwd: dir });
  assert.is(run.code, 1, run.stderr);
  assert.equal((await proxy.requests()).slice(before), [`GET ${url}`]);
  assert.match(run.stderr, `proxy: http://***:***@127.0.0.1:${proxy.port} (--proxy) for http and https`);
  assert.match(run.stderr, `downloading ${url} through proxy http://***:***@127.0.0.1:${proxy.port}`);
  assert.match(run.stderr, `got sha256:${sha256}`); // the bytes came through
  const log = await readFile(join(dir, 'out', 'build.log'), 'utf8');
  assert.match(log, `(--proxy) for http and https`);
  assertNoPassword('stderr', run.stderr);
  assertNoPassword('stdout (--json)', run.stdout);
  assertNoPassword('build.log', log);
});

test('https through CONNECT, with the proxy from the template', async () => {
  const port = (https.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}/disc.iso`;
  const dir = await scratch({ 'kiln.yaml': template(url, [`proxy: { upstream: "${proxy.urlWithAuth()}" }`]) });
  const before = (await proxy.requests()).length;
  const run = await runKiln(['build', 'kiln.yaml', '--json'], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: certFile } });
  assert.is(run.code, 1, run.stderr);
  assert.equal((await proxy.requests()).slice(before), [`CONNECT 127.0.0.1:${port}`]);
  assert.match(run.stderr, `(proxy.upstream) for http and https`);
  assert.match(run.stderr, `got sha256:${sha256}`);
  assertNoPassword('stderr', run.stderr);
  assertNoPassword('stdout (--json)', run.stdout);
  assertNoPassword('build.log', await readFile(join(dir, 'out', 'build.log'), 'utf8'));
});

test('407: the build fails in fetch-source with the proxy named and the fix', async () => {
  const dir = await scratch({ 'kiln.yaml': template(http.url('/disc.iso')) });
  const run = await runKiln(['build', 'kiln.yaml', '--proxy', proxy.url], { cwd: dir });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, `proxy ${proxy.url} (--proxy) answered 407 Proxy Authentication Required`);
  assert.match(run.stderr, 'put user:password@ before the host in --proxy');
});

test('a malformed --proxy or proxy.upstream is invalid input (exit 2), password masked; --proxy none is fine', async () => {
  const dir = await scratch({ 'kiln.yaml': template(http.url('/disc.iso')), 'bad.yaml': template(http.url('/disc.iso'), [`proxy: { upstream: "socks5://kiln:${PASSWORD}@p:1" }`]) });
  const flag = await runKiln(['validate', 'kiln.yaml', '--proxy', `ftp://kiln:${PASSWORD}@p:1`], { cwd: dir });
  assert.is(flag.code, 2, flag.stderr);
  assert.match(flag.stderr, '--proxy is not a proxy URL');
  assertNoPassword('validate --proxy stderr', flag.stderr);
  const key = await runKiln(['validate', 'bad.yaml'], { cwd: dir });
  assert.is(key.code, 2, key.stderr);
  assert.match(key.stderr, 'proxy.upstream');
  assertNoPassword('validate proxy.upstream stderr', key.stderr);
  const none = await runKiln(['validate', 'kiln.yaml', '--proxy', 'none'], { cwd: dir, env: { HTTPS_PROXY: 'not a url at all:://' } });
  assert.is(none.code, 0, none.stderr);
});

test.run();
