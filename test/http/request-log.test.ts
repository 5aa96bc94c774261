import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLogLine, formatLogMessage, normalizePath, requestPath } from '../../lib/http/request-log.js';
import { contentTypeFor, mimeTypesForDisk } from '../../lib/http/content-type.js';

const record = {
  time: '2024-05-01T12:00:00.000Z',
  method: 'GET',
  path: '/ks.cfg',
  status: 200,
  bytes: 312,
  remote: '127.0.0.1',
  userAgent: 'Wget/1.21.3 (linux-gnu)',
};

test('log line: one line, one token per field', () => {
  assert.is(formatLogLine(record), '2024-05-01T12:00:00.000Z 127.0.0.1 GET /ks.cfg 200 312 "Wget/1.21.3 (linux-gnu)"');
  assert.is(formatLogLine({ ...record, userAgent: undefined }).split(' ').at(-1), '"-"');
  const hostile = formatLogLine({ ...record, path: '/a b\n"c', userAgent: 'x"\ny\\' });
  assert.not.match(hostile, '\n');
  assert.is(hostile.split(' ')[3], '/a%20b%0A%22c');
  assert.ok(hostile.endsWith('"x%22%0Ay%5C"'));
});

test('log message', () => {
  assert.is(formatLogMessage(record), 'http: GET /ks.cfg -> 200 (312 bytes)');
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
