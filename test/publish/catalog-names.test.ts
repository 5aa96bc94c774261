// Names, versions, architectures, URL bases and targets kiln publish accepts, as tables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkArchitecture, checkUrlBase, checkVersion, compareVersions, parseBoxName, parseTarget } from '../../lib/publish/catalog-names.js';
import { kilnThrown } from '../helpers/rejection.js';

function usageError(fn: () => unknown, message: RegExp): void {
  const error = kilnThrown(fn, 'accepted');
  assert.is(error.code, 'E_USAGE');
  assert.match(error.message, message);
  assert.ok(error.hint, 'no hint');
}

test('box names: org/name', () => {
  for (const good of ['acme/debian-12', 'a/b', 'ACME.corp/box_1', '0rg/9']) {
    const [org, box] = good.split('/');
    assert.equal(parseBoxName(good), { org, box, full: good });
  }
  for (const bad of ['acme', 'acme/', '/box', 'acme/box/extra', 'acme/..', '../box', 'acme/.hidden', 'ac me/box', 'acme/box?', 'acme\\box', '', `acme/${'x'.repeat(101)}`]) {
    usageError(() => parseBoxName(bad), /is not org\/name/);
  }
});

test('versions: X.Y.Z of whole numbers without leading zeros', () => {
  for (const good of ['0.0.0', '1.2.0', '10.20.30', '2024.12.31']) assert.is(checkVersion(good), good);
  for (const bad of ['1', '1.2', 'v1.2.0', '1.2.0.0', '1.02.0', '01.2.0', '1.2.0-beta', '1.2.x', ' 1.2.0', '1..2', '']) {
    usageError(() => checkVersion(bad), /is not X\.Y\.Z/);
  }
});

test('architectures: Vagrant\'s lower-case names', () => {
  for (const good of ['amd64', 'arm64', 'i386', 'ppc64le', 'unknown']) assert.is(checkArchitecture(good), good);
  for (const bad of ['AMD64', 'x86-64', '', 'arm/64', '_x']) usageError(() => checkArchitecture(bad), /is not an architecture name/);
});

test('URL bases: http, https or file, trailing slashes dropped', () => {
  const table: [string, string][] = [
    ['https://boxes.example.com', 'https://boxes.example.com'],
    ['https://boxes.example.com/', 'https://boxes.example.com'],
    ['http://127.0.0.1:8080/vagrant//', 'http://127.0.0.1:8080/vagrant'],
    ['file:///srv/boxes', 'file:///srv/boxes'],
  ];
  for (const [given, base] of table) assert.is(checkUrlBase(given), base);
  usageError(() => checkUrlBase('boxes.example.com'), /is not a URL/);
  usageError(() => checkUrlBase('ftp://boxes.example.com'), /must be an http, https or file URL/);
  usageError(() => checkUrlBase('https://h/?token=1'), /without \?query/);
});

test('targets: catalog:DIR', () => {
  assert.equal(parseTarget('catalog:/srv/boxes'), { kind: 'catalog', dir: '/srv/boxes' });
  assert.equal(parseTarget('catalog:rel/dir:with-colon'), { kind: 'catalog', dir: 'rel/dir:with-colon' });
  usageError(() => parseTarget('catalog:'), /needs a directory/);
  usageError(() => parseTarget('/srv/boxes'), /is not a publish target/);
  usageError(() => parseTarget('s3:bucket'), /is not a publish target/);
});

test('compareVersions orders as Vagrant (Gem::Version) does for dotted numbers', () => {
  const table: [string, string, number][] = [
    ['1.0.0', '1.0.0', 0],
    ['1.2', '1.2.0', 0],
    ['1.2.0', '1.10.0', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0', '10.0.0', -1],
    ['0.0.1', '0.0.0', 1],
    ['1.0.0', '1.0.0.1', -1],
  ];
  for (const [a, b, expected] of table) {
    assert.is(compareVersions(a, b), expected, `${a} vs ${b}`);
    assert.is(compareVersions(b, a), -expected || 0, `${b} vs ${a}`);
  }
});

test.run();
