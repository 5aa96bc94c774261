// What the guest's requests can do to kiln's logs and time: control characters reach
// neither the terminal nor http.log raw, requests Node's parser rejects are logged like
// any other, and many content keys cost each request nothing extra.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendRaw } from './raw-request.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServerHandle, type RequestRecord } from '../../lib/http/server.js';
import { memoryLog } from '../../lib/log/log.js';
import { rejection } from '../helpers/rejection.js';

let dir: string;
let server: HttpServerHandle | undefined;
let log: ReturnType<typeof memoryLog>;
let seen: RequestRecord[];

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-http-safety-'));
  log = memoryLog();
  seen = [];
});
test.after.each(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(content: Record<string, string> = { '/ks.cfg': 'ks\n' }, render?: (text: string, port: number) => string) {
  server = await startHttpServer({ content, logFile: join(dir, 'http.log'), log, onRequest: (r) => seen.push(r), ...(render ? { render } : {}) });
  return server;
}

const send = (bytes: Buffer | string) => sendRaw(server!.port, bytes);

async function settled(count: number): Promise<void> {
  for (let i = 0; i < 200 && seen.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  assert.is(seen.length, count);
}

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;

test('control characters in path and user agent are escaped in terminal lines and http.log', async () => {
  await start();
  // ESC [2J clears a terminal, BEL rings, \x9b is CSI (latin1, which header values may hold), U+202E flips text.
  await send(Buffer.from('GET /a%1B%5B2J%07%E2%80%AEb%0D%0A HTTP/1.1\r\nHost: x\r\nUser-Agent: evil\x9b2J\tx\r\nConnection: close\r\n\r\n', 'latin1'));
  await settled(1);
  assert.is(seen[0]!.path, '/a\x1b[2J\x07\u202eb\r\n', 'the record keeps the path as requested');
  const lines = log.lines.filter((l) => l.includes('http: GET'));
  assert.is(lines.length, 1);
  assert.not.match(lines[0]!, CONTROL, JSON.stringify(lines[0]));
  assert.is(lines[0], 'warn: http: GET /a%1B[2J%07%E2%80%AEb%0D%0A -> 404 (10 bytes)');
  await server!.close();
  const logged = await readFile(join(dir, 'http.log'), 'latin1');
  assert.is(logged.split('\n').length, 2, 'one line, then the final newline');
  assert.not.match(logged.trimEnd(), CONTROL, JSON.stringify(logged));
  assert.match(logged, ' GET /a%1B[2J%07%E2%80%AEb%0D%0A 404 10 "evil%C2%9B2J%09x" ');
});

test('a request Node\'s parser rejects is answered 400, recorded, logged and passed to onRequest', async () => {
  const s = await start();
  const answer = await send('GET /ks.cfg?from=installer HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n');
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  await settled(1);
  const record = seen[0]!;
  assert.equal({ ...record, time: '', ms: 0 }, { time: '', method: 'GET', path: '/ks.cfg', status: 400, bytes: 0, remote: '127.0.0.1', ms: 0, rejected: 'HPE_INVALID_HEADER_TOKEN' });
  assert.is(s.requests[0], record);
  assert.ok(log.lines.includes('warn: http: GET /ks.cfg -> 400 (0 bytes), rejected by the HTTP parser (HPE_INVALID_HEADER_TOKEN) from 127.0.0.1'), log.lines.join('\n'));
  // A head too large gets Node's 431; bytes that are no request at all are logged with "-".
  assert.match(await send(`GET /big HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);
  assert.match(await send('\x16\x03\x01\x02\x00\x01\x00\r\n\r\n'), /^HTTP\/1\.1 400 /);
  await settled(3);
  assert.equal(seen.slice(1).map((r) => [r.method, r.path, r.status, r.rejected]), [
    ['GET', '/big', 431, 'HPE_HEADER_OVERFLOW'],
    ['-', '-', 400, 'HPE_INVALID_METHOD'],
  ]);
  await s.close();
  const lines = (await readFile(join(dir, 'http.log'), 'utf8')).trimEnd().split('\n');
  assert.is(lines.length, 3);
  assert.match(lines[0]!, / 127\.0\.0\.1 GET \/ks\.cfg 400 0 "-" \d+ms rejected=HPE_INVALID_HEADER_TOKEN$/);
  assert.match(lines[2]!, / 127\.0\.0\.1 - - 400 0 "-" \d+ms rejected=HPE_INVALID_METHOD$/);
});

test('a waiter is not satisfied by a rejected request, and its timeout names it', async () => {
  const s = await start();
  await send('GET /ks.cfg HTTP/1.1\r\nBad Header: x\r\n\r\n');
  await settled(1);
  const error = await rejection(s.waitForRequest('/ks.cfg', { timeoutMs: 20 }));
  assert.match(error.message, 'it requested: /ks.cfg (400)');
});

test('20,000 content keys: each rendered once at start, each request a single lookup', async () => {
  const content: Record<string, string> = {};
  for (let i = 0; i < 20000; i++) content[`/f${i}.cfg`] = `file ${i} {{ port }}\n`;
  let renders = 0;
  const s = await start(content, (text, port) => (renders++, text.replace('{{ port }}', String(port))));
  assert.is(renders, 20000);
  const begin = Date.now();
  for (const i of [0, 9999, 19999]) assert.is(await (await fetch(`${s.url}/f${i}.cfg`)).text(), `file ${i} ${s.port}\n`);
  assert.is((await fetch(`${s.url}/f20000.cfg`)).status, 404);
  assert.is(renders, 20000, 'nothing is rendered per request');
  // A guard only: a scan of every key per request would still pass, the render count would not.
  assert.ok(Date.now() - begin < 5000);
  await settled(4);
  const error = await rejection(s.waitForRequest('/never', { timeoutMs: 1 }));
  assert.match(error.message, /it requested: \/f0\.cfg \(200\), .*\/f20000\.cfg \(404\)$/);
});

test.run();
