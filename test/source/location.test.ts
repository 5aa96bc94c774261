import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { defaultCacheDir, digestEntry, urlEntry } from '../../lib/source/cache-layout.js';
import { fileNameOf, parseLocation } from '../../lib/source/location.js';
import { kilnThrown } from '../helpers/rejection.js';

const parses: [string, ReturnType<typeof parseLocation>][] = [
  ['https://example.org/debian.iso', { kind: 'remote', url: 'https://example.org/debian.iso' }],
  ['HTTP://example.org/x', { kind: 'remote', url: 'HTTP://example.org/x' }],
  ['/srv/isos/debian.iso', { kind: 'local', path: '/srv/isos/debian.iso' }],
  ['file:///srv/isos/a%20b.iso', { kind: 'local', path: '/srv/isos/a b.iso' }],
  ['isos/debian.iso', { kind: 'local', path: resolve('isos/debian.iso') }],
];
for (const [text, expected] of parses) {
  test(`parseLocation ${text}`, () => assert.equal(parseLocation(text), expected));
}

test('parseLocation rejects other schemes and bad file URLs, naming them', () => {
  for (const [text, pattern] of [
    ['ftp://example.org/x.iso', /unsupported URL scheme "ftp:"/],
    ['file://remote-host/x.iso', /not a usable file:\/\/ URL/],
    ['http://exa mple.org/', /not a valid URL/],
  ] as const) {
    assert.match(kilnThrown(() => parseLocation(text), text).message, pattern);
  }
});

const names: [string, string][] = [
  ['https://example.org/path/debian-12.iso', 'debian-12.iso'],
  ['https://example.org/path/debian-12.iso?mirror=1#x', 'debian-12.iso'],
  ['https://example.org/a%20b.iso', 'a b.iso'],
  ['https://example.org/dir/', 'dir'],
  ['https://example.org/', 'download'],
  ['https://example.org/..%2Fetc%2Fpasswd', '.._etc_passwd'],
  ['https://example.org/bad%zz.iso', 'bad%zz.iso'],
];
for (const [url, name] of names) {
  test(`fileNameOf ${url}`, () => assert.is(fileNameOf({ kind: 'remote', url }), name));
}
test('fileNameOf a local path is its base name', () => {
  assert.is(fileNameOf({ kind: 'local', path: '/srv/isos/debian.iso' }), 'debian.iso');
});

test('defaultCacheDir follows XDG, ignoring a relative XDG_CACHE_HOME', () => {
  assert.is(defaultCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' }), '/c/kiln');
  assert.is(defaultCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/h' }), '/h/.cache/kiln');
  assert.is(defaultCacheDir({ HOME: '/h' }), '/h/.cache/kiln');
  assert.is(defaultCacheDir({}), join(homedir(), '.cache', 'kiln'));
});

test('cache keys: by digest, and by a stable hash of the URL', () => {
  assert.equal(digestEntry('/c', 'sha256', 'AB'), {
    dir: '/c/sources/v2/sha256-ab',
    files: '/c/sources/v2/sha256-ab/files',
    record: '/c/sources/v2/sha256-ab/record.json',
    partials: '/c/sources/v2/sha256-ab/partial',
    lock: '/c/sources/v2/sha256-ab/lock',
  });
  assert.is(urlEntry('/c', 'https://x/a.iso').dir, urlEntry('/c', 'https://x/a.iso').dir);
  assert.is.not(urlEntry('/c', 'https://x/a.iso').dir, urlEntry('/c', 'https://x/b.iso').dir);
  assert.match(urlEntry('/c', 'https://x/a.iso').dir, /^\/c\/sources\/v2\/url-[0-9a-f]{32}$/);
});

test.run();
