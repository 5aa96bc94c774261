import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeField, filePath, formatLogLine, formatLogMessage, normalizePath, requestPath } from '../../lib/http/request-log.js';
import { requestLineOf } from '../../lib/http/rejected-requests.js';
import { contentTypeFor, mimeTypesForDisk } from '../../lib/http/content-type.js';

const record = {
  time: '2024-05-01T12:00:00.000Z',
  method: 'GET',
  path: '/ks.cfg',
  status: 200,
  bytes: 312,
  remote: '127.0.0.1',
  userAgent: 'Wget/1.21.3 (linux-gnu)',
  ms: 4,
};

test('log line: one line, one token per field', () => {
  assert.is(formatLogLine(record), '2024-05-01T12:00:00.000Z 127.0.0.1 GET /ks.cfg 200 312 "Wget/1.21.3 (linux-gnu)" 4ms');
  assert.is(formatLogLine({ ...record, userAgent: undefined }).split(' ').at(-2), '"-"');
  const hostile = formatLogLine({ ...record, path: '/a b\n"c%', userAgent: 'x"\ny\\' });
  assert.not.match(hostile, '\n');
  assert.is(hostile.split(' ')[3], '/a%20b%0A%22c%25');
  assert.ok(hostile.endsWith('"x%22%0Ay%5C" 4ms'));
  const rejected = formatLogLine({ ...record, method: '-', path: '-', status: 400, bytes: 0, userAgent: undefined, rejected: 'HPE_INVALID_HEADER_TOKEN' });
  assert.is(rejected, '2024-05-01T12:00:00.000Z 127.0.0.1 - - 400 0 "-" 4ms rejected=HPE_INVALID_HEADER_TOKEN');
});

// Each guest-controlled character a terminal acts on: C0 (ESC, BEL, CR), DEL, C1 (\x9b
// is CSI on some terminals), bidi override, line separator; and "%" itself.
const hostileChars = ['\x1b[2J', '\x07', '\r', '\x7f', '\x9b31m', '\u202e', '\u2028', '%'];

test('log message (terminal, build.log): every control and format character escaped, spaces kept', () => {
  assert.is(formatLogMessage(record), 'http: GET /ks.cfg -> 200 (312 bytes)');
  assert.is(formatLogMessage({ ...record, path: '/a b.cfg' }), 'http: GET /a b.cfg -> 200 (312 bytes)');
  for (const c of hostileChars) {
    const message = formatLogMessage({ ...record, method: `G${c}`, path: `/x${c}y` });
    assert.not.match(message, /[\p{Cc}\p{Cf}\p{Zl}]/u, JSON.stringify(message));
    assert.is(message, `http: G${escapeField(c)} /x${escapeField(c)}y -> 200 (312 bytes)`);
    assert.not.match(formatLogLine({ ...record, path: `/x${c}`, userAgent: c, remote: c }), /[\p{Cc}\p{Cf}\p{Zl}]/u);
  }
  assert.is(escapeField('\x1b[2J\u202e%'), '%1B[2J%E2%80%AE%25');
  assert.is(escapeField('\ud800'), '%EF%BF%BD', 'a lone surrogate does not throw');
  assert.is(
    formatLogMessage({ ...record, method: '-', path: '-', status: 400, bytes: 0, rejected: 'HPE_INVALID_HEADER_TOKEN' }),
    'http: - - -> 400 (0 bytes), rejected by the HTTP parser (HPE_INVALID_HEADER_TOKEN) from 127.0.0.1',
  );
});

const targets: [string, string | undefined][] = [
  ['/ks.cfg?x=1', '/ks.cfg'],
  ['/a%20b', '/a b'],
  ['/%00', undefined],
  ['/a%00.cfg', undefined],
  ['/bad%zz', undefined],
  ['/%E0%A4%A', undefined],
  ['http://host/ks.cfg', undefined],
  ['*', undefined],
];
for (const [url, path] of targets) test(`filePath ${url}`, () => assert.is(filePath(url), path));

test('requestLineOf reads method and path from rejected bytes, or gives "-"', () => {
  assert.equal(requestLineOf(Buffer.from('GET /ks.cfg?x=1 HTTP/1.1\r\nBad Header: x\r\n')), { method: 'GET', path: '/ks.cfg' });
  assert.equal(requestLineOf(Buffer.from('GET /a%20b HTTP/1.1\r\n')), { method: 'GET', path: '/a b' });
  assert.equal(requestLineOf(Buffer.from('\x16\x03\x01 TLS hello')), { method: '-', path: '-' });
  assert.equal(requestLineOf(undefined), { method: '-', path: '-' });
});

const paths: [string, string][] = [
  ['/ks.cfg', '/ks.cfg'],
  ['/ks.cfg?x=1', '/ks.cfg'],
  ['/a%20b.cfg#frag', '/a b.cfg'],
  ['/bad%zz', '/bad%zz'],
  ['?only', '/'],
];
for (const [url, path] of paths) test(`requestPath ${url}`, () => assert.is(requestPath(url), path));

test('normalizePath adds the leading slash', () => {
  assert.is(normalizePath('ks.cfg'), '/ks.cfg');
  assert.is(normalizePath('/ks.cfg'), '/ks.cfg');
});

const types: [string, string][] = [
  ['/ks.cfg', 'text/plain'],
  ['/preseed.cfg', 'text/plain'],
  ['/anaconda.ks', 'text/plain'],
  ['/user-data', 'text/plain'],
  ['/nocloud/meta-data', 'text/plain'],
  ['/autounattend.xml', 'application/xml'],
  ['/autoinstall.yaml', 'text/yaml'],
  ['/setup.sh', 'text/x-shellscript'],
  ['/README', 'text/plain'],
];
for (const [path, type] of types) test(`contentTypeFor ${path}`, () => assert.is(contentTypeFor(path), `${type}; charset=utf-8`));

test('disk MIME table lists every name once', () => {
  const names = Object.values(mimeTypesForDisk()).flat();
  assert.is(new Set(names).size, names.length);
  assert.ok(mimeTypesForDisk()['text/plain']!.includes('cfg'));
});

test.run();
