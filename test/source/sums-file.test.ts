import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findSumsEntry, parseSums } from '../../lib/source/sums-file.js';

const a256 = 'a'.repeat(64);
const b256 = 'b'.repeat(64);
const c512 = 'c'.repeat(128);
const d1 = 'd'.repeat(40);

test('GNU text, binary and single-space lines', () => {
  assert.equal(parseSums(`${a256}  debian.iso\n${b256} *other.iso\r\n${d1} third.img\n`), [
    { name: 'debian.iso', algorithm: 'sha256', hex: a256 },
    { name: 'other.iso', algorithm: 'sha256', hex: b256 },
    { name: 'third.img', algorithm: 'sha1', hex: d1 },
  ]);
});

test('BSD lines name the algorithm, in any case and with a dash', () => {
  assert.equal(parseSums(`SHA256 (debian.iso) = ${a256.toUpperCase()}\nSHA-512 (x.iso) = ${c512}\nmd5 (y) = ${'e'.repeat(32)}`), [
    { name: 'debian.iso', algorithm: 'sha256', hex: a256 },
    { name: 'x.iso', algorithm: 'sha512', hex: c512 },
    { name: 'y', algorithm: 'md5', hex: 'e'.repeat(32) },
  ]);
});

test('comments, PGP armour and malformed lines are skipped', () => {
  const text = [
    '-----BEGIN PGP SIGNED MESSAGE-----',
    'Hash: SHA256',
    '',
    '# Fedora-Server-39.iso: 2327924736 bytes',
    `SHA256 (Fedora-Server-39.iso) = ${a256}`,
    `SHA256 (short.iso) = ${'a'.repeat(63)}`,
    `${'f'.repeat(50)}  odd-length.iso`,
    '-----BEGIN PGP SIGNATURE-----',
    'iQIzBAEBCAAdFiEE',
  ].join('\n');
  assert.equal(parseSums(text), [{ name: 'Fedora-Server-39.iso', algorithm: 'sha256', hex: a256 }]);
});

test('escaped GNU names are unescaped', () => {
  assert.equal(parseSums(`\\${a256}  dir\\\\name\\nx`), [{ name: 'dir\\name\nx', algorithm: 'sha256', hex: a256 }]);
});

const sums = [
  `${b256}  images/debian.iso`,
  `${a256}  ./debian.iso`,
  `SHA512 (debian.iso) = ${c512}`,
  `${d1}  debian.iso.sig`,
].join('\n');

const lookups: [string, string | undefined, 'sha256' | 'sha512' | undefined, string | undefined][] = [
  ['exact name wins over a path', 'debian.iso', undefined, a256],
  ['algorithm filter', 'debian.iso', 'sha512', c512],
  ['no prefix match', 'debian', undefined, undefined],
  ['other algorithm only', 'debian.iso.sig', 'sha256', undefined],
  ['sha1 by length', 'debian.iso.sig', undefined, d1],
];
for (const [name, file, algorithm, hex] of lookups) {
  test(`findSumsEntry: ${name}`, () => {
    assert.is(findSumsEntry(sums, file!, algorithm)?.hex, hex);
  });
}

test('findSumsEntry: last path segment when no exact entry', () => {
  assert.equal(findSumsEntry(`${b256}  images/netinst.iso`, 'netinst.iso'), {
    name: 'images/netinst.iso',
    algorithm: 'sha256',
    hex: b256,
  });
});

test.run();
