// startHttpServer: what the guest gets, what kiln records, and how it shuts down.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../../lib/log/log.js';
import { startHttpServer, type HttpServerHandle } from '../../lib/http/server.js';
import { findFreePort } from '../../lib/util/free-port.js';
import { kilnRejection } from '../helpers/rejection.js';

let dir: string;
let server: HttpServerHandle | undefined;
let log: ReturnType<typeof memoryLog>;
let release = 'bookworm';

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-http-'));
  await mkdir(join(dir, 'http', 'sub'), { recursive: true });
  await writeFile(join(dir, 'http', 'preseed.cfg'), 'd-i from disk\n');
  await writeFile(join(dir, 'http', 'override.cfg'), 'from disk\n');
  await writeFile(join(dir, 'http', 'sub', 'user-data'), '#cloud-config\n');
  log = memoryLog();
  release = 'bookworm';
});
test.after.each(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(extra: Partial<Parameters<typeof startHttpServer>[0]> = {}): Promise<HttpServerHandle> {
  server = await startHttpServer({
    directory: join(dir, 'http'),
    content: { '/ks.cfg': 'url http://10.0.2.2:{{ .HTTPPort }}/{{ release }}\n', 'override.cfg': 'from memory\n' },
    render: (text, port) => text.replace('{{ .HTTPPort }}', String(port)).replace('{{ release }}', release),
    logFile: join(dir, 'output', 'http.log'),
    log,
    ...extra,
  });
  return server;
}

/** The server records a request when its response closes, a moment after the client has it. */
async function settled(handle: HttpServerHandle, count: number): Promise<void> {
  for (let i = 0; i < 200 && handle.requests.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  assert.is(handle.requests.length, count);
}

test('content is rendered once, with the port it listens on', async () => {
  const s = await start();
  assert.is(s.host, '127.0.0.1');
  assert.ok(s.port >= 8000 && s.port <= 9000);
  assert.is(s.url, `http://127.0.0.1:${s.port}`);
  const first = await fetch(`${s.url}/ks.cfg`);
  assert.is(await first.text(), `url http://10.0.2.2:${s.port}/bookworm\n`);
  assert.is(first.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.is(first.headers.get('cache-control'), 'no-store');
  release = 'trixie';
  assert.is(await (await fetch(`${s.url}/ks.cfg`)).text(), `url http://10.0.2.2:${s.port}/bookworm\n`, 'not rendered again per request');
});

test('files from the directory are served as text; content overrides a file of the same path', async () => {
  const s = await start();
  const disk = await fetch(`${s.url}/preseed.cfg`);
  assert.is(disk.status, 200);
  assert.is(await disk.text(), 'd-i from disk\n');
  assert.match(disk.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(disk.headers.get('cache-control') ?? '', /no-store/);
  const cloud = await fetch(`${s.url}/sub/user-data`);
  assert.is(await cloud.text(), '#cloud-config\n');
  assert.match(cloud.headers.get('content-type') ?? '', /^text\/plain/);
  assert.is(await (await fetch(`${s.url}/override.cfg`)).text(), 'from memory\n');
});

test('serve() adds files after start, as they are: never rendered, ahead of content and directory', async () => {
  const s = await start();
  assert.is((await fetch(`${s.url}/cloud-init/user-data`)).status, 404);
  s.serve({ '/cloud-init/user-data': '#cloud-config\nruncmd: ["echo {{ .HTTPPort }}"]\n', 'override.cfg': 'served\n' });
  assert.is(await (await fetch(`${s.url}/cloud-init/user-data`)).text(), '#cloud-config\nruncmd: ["echo {{ .HTTPPort }}"]\n');
  assert.is(await (await fetch(`${s.url}/override.cfg`)).text(), 'served\n');
});

test('a request listener that throws costs no waiter its request, and is reported', async () => {
  const s = await start({ onRequest: () => { throw new Error('boom'); } });
  const waiting = s.waitForRequest('/ks.cfg', { timeoutMs: 2000 });
  await (await fetch(`${s.url}/ks.cfg`)).text();
  assert.is((await waiting).path, '/ks.cfg');
  assert.ok(log.lines.includes('warn: http: a request listener failed: boom'), log.lines.join('\n'));
});

test('no directory listings, and no directory means no files from disk', async () => {
  let s = await start();
  assert.is((await fetch(`${s.url}/`)).status, 404);
  assert.is((await fetch(`${s.url}/sub/`)).status, 404);
  await s.close();
  s = await start({ directory: undefined });
  assert.is((await fetch(`${s.url}/package.json`)).status, 404, 'the working directory is not served');
  assert.is((await fetch(`${s.url}/ks.cfg`)).status, 200);
});

test('a content file that cannot be rendered fails the start, naming it, and frees the port', async () => {
  const port = await findFreePort();
  const error = await kilnRejection(
    start({
      portRange: [port, port],
      render: (text) => {
        if (text.includes('HTTPPort')) throw new Error('unknown variable "pasword"');
        return text;
      },
    }),
  );
  assert.is(error.code, 'E_TEMPLATE');
  assert.is(error.message, 'http.content /ks.cfg: unknown variable "pasword"');
  const again = await start({ portRange: [port, port] });
  assert.is(again.port, port, 'the port was released');
});

test('content answers GET and HEAD; other methods get 405', async () => {
  const s = await start();
  assert.is((await fetch(`${s.url}/ks.cfg`, { method: 'HEAD' })).status, 200);
  assert.is((await fetch(`${s.url}/ks.cfg`, { method: 'POST', body: 'x' })).status, 405);
});

test('every request is recorded, logged and appended to http.log, 404s included', async () => {
  const s = await start();
  await (await fetch(`${s.url}/ks.cfg?x=1`, { headers: { 'user-agent': 'Wget/1.21 (linux "gnu")' } })).text();
  await (await fetch(`${s.url}/preseed.cfg`, { method: 'HEAD' })).text();
  await (await fetch(`${s.url}/missing%20file.cfg`)).text();
  await settled(s, 3);
  const [ks, head, missing] = s.requests;
  assert.ok(ks!.ms >= 0 && Number.isInteger(ks!.ms));
  assert.equal({ ...ks!, time: '', ms: 0 }, {
    time: '',
    ms: 0,
    method: 'GET',
    path: '/ks.cfg',
    status: 200,
    bytes: Buffer.byteLength(`url http://10.0.2.2:${s.port}/bookworm\n`),
    remote: '127.0.0.1',
    userAgent: 'Wget/1.21 (linux "gnu")',
  });
  assert.equal([head!.method, head!.status, head!.bytes], ['HEAD', 200, 0]);
  assert.equal([missing!.path, missing!.status], ['/missing file.cfg', 404]);
  assert.ok(log.lines.includes(`info: http: GET /ks.cfg -> 200 (${ks!.bytes} bytes)`), log.lines.join('\n'));
  assert.ok(log.lines.some((l) => l.startsWith('warn: http: GET /missing file.cfg -> 404')));

  await s.close();
  const lines = (await readFile(join(dir, 'output', 'http.log'), 'utf8')).trimEnd().split('\n');
  assert.is(lines.length, 3);
  assert.match(lines[0]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z 127\\.0\\.0\\.1 GET /ks\\.cfg 200 ${ks!.bytes} "Wget/1\\.21 \\(linux %22gnu%22\\)" ${ks!.ms}ms$`));
  assert.match(lines[2]!, / 127\.0\.0\.1 GET \/missing%20file\.cfg 404 \d+ "/);
});

test('onRequest gets each record once it is recorded and logged', async () => {
  const seen: { path: string; status: number; recorded: number; logged: boolean }[] = [];
  const s = await start({
    onRequest: (r) => seen.push({ path: r.path, status: r.status, recorded: server!.requests.length, logged: log.lines.some((l) => l.includes(`GET ${r.path} ->`)) }),
  });
  await (await fetch(`${s.url}/ks.cfg`)).text();
  await (await fetch(`${s.url}/nope`)).text();
  await settled(s, 2);
  assert.equal(seen, [
    { path: '/ks.cfg', status: 200, recorded: 1, logged: true },
    { path: '/nope', status: 404, recorded: 2, logged: true },
  ]);
});

test('http.log is appended to, not replaced', async () => {
  let s = await start();
  await (await fetch(`${s.url}/ks.cfg`)).text();
  await s.waitForRequest('/ks.cfg');
  await s.close();
  s = await start();
  await (await fetch(`${s.url}/preseed.cfg`)).text();
  await s.waitForRequest('/preseed.cfg');
  await s.close();
  const text = await readFile(join(dir, 'output', 'http.log'), 'utf8');
  assert.equal(text.trimEnd().split('\n').map((l) => l.split(' ')[3]), ['/ks.cfg', '/preseed.cfg']);
});

test('waitForRequest: before the request, and after it (immediately)', async () => {
  const s = await start();
  const waiting = s.waitForRequest('/ks.cfg', { timeoutMs: 5000 });
  await (await fetch(`${s.url}/ks.cfg`)).text();
  const got = await waiting;
  assert.equal([got.path, got.status], ['/ks.cfg', 200]);
  const again = await s.waitForRequest('ks.cfg', { timeoutMs: 1 });
  assert.is(again, got);
});

test('waitForRequest ignores failed requests and times out naming what the guest did request', async () => {
  const s = await start();
  await (await fetch(`${s.url}/ks.cgf`)).text();
  await (await fetch(`${s.url}/preseed.cfg`)).text();
  await settled(s, 2);
  const error = await kilnRejection(s.waitForRequest('/ks.cfg', { timeoutMs: 50 }));
  assert.is(error.code, 'E_BOOT');
  assert.match(error.message, '/ks.cfg');
  assert.match(error.message, 'it requested: /ks.cgf (404), /preseed.cfg (200)');
  assert.match(error.hint ?? '', String(s.port));
});

test('waitForRequest: abort gives CancelledError; close rejects what is still waiting', async () => {
  const s = await start();
  const controller = new AbortController();
  const aborted = s.waitForRequest('/ks.cfg', { signal: controller.signal });
  controller.abort();
  assert.is((await kilnRejection(aborted)).code, 'E_CANCELLED');
  const pending = kilnRejection(s.waitForRequest('/never'));
  await s.close();
  const error = await pending;
  assert.is(error.code, 'E_HTTP');
  assert.match(error.message, 'closed before the guest fetched /never');
});

test('close() returns promptly with a keep-alive connection and a half-sent request open', async () => {
  const s = await start();
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) =>
    httpRequest(`${s.url}/ks.cfg`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject).end(),
  );
  const { connect } = await import('node:net');
  const half = connect(s.port, '127.0.0.1');
  await new Promise((resolve) => half.once('connect', resolve));
  half.write('GET /ks.cfg HTTP/1.1\r\nHost: x\r\n');
  half.on('error', () => {});
  server = undefined; // closed here, not by after.each
  try {
    const outcome = await Promise.race([
      s.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 1000, 'still open after 1s')),
    ]);
    assert.is(outcome, 'closed');
  } finally {
    agent.destroy();
    half.destroy();
  }
});

test.run();
