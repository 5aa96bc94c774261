import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findSumsEntry, parseSums, type SumsMatch } from '../../lib/source/sums-file.js';

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

const hexOf = (match: SumsMatch) => (match.kind === 'found' ? match.entry.hex : match.kind);

const lookups: [string, string, 'sha256' | 'sha512' | undefined, string][] = [
  // "./debian.iso" and "debian.iso" (sha512) are the same path; images/debian.iso is not a tail of it.
  ['the same name in two algorithms is not ambiguous: the first wins', 'debian.iso', undefined, a256],
  ['algorithm filter', 'debian.iso', 'sha512', c512],
  ['no prefix match', 'debian', undefined, 'missing'],
  ['other algorithm only', 'debian.iso.sig', 'sha256', 'missing'],
  ['sha1 by length', 'debian.iso.sig', undefined, d1],
];
for (const [name, file, algorithm, hex] of lookups) {
  test(`findSumsEntry: ${name}`, () => {
    assert.is(hexOf(findSumsEntry(sums, file, algorithm)), hex);
  });
}

test('findSumsEntry: last path segment when no exact entry', () => {
  assert.equal(findSumsEntry(`${b256}  images/netinst.iso`, 'netinst.iso'), {
    kind: 'found',
    entry: { name: 'images/netinst.iso', algorithm: 'sha256', hex: b256 },
  });
});

test('findSumsEntry: a name listed twice with different digests is ambiguous, the same digest twice is not', () => {
  const twice = `${a256}  disc.iso\n${b256}  disc.iso\n`;
  assert.equal(findSumsEntry(twice, 'disc.iso'), {
    kind: 'ambiguous',
    entries: [
      { name: 'disc.iso', algorithm: 'sha256', hex: a256 },
      { name: 'disc.iso', algorithm: 'sha256', hex: b256 },
    ],
  });
  assert.is(hexOf(findSumsEntry(`${a256}  disc.iso\n${a256} *./disc.iso\n`, 'disc.iso')), a256);
});

const archs = `${a256}  arm64/disc.iso\n${b256}  amd64/disc.iso\n`;

test('findSumsEntry: the full relative path picks the right architecture, wherever it is listed', () => {
  assert.is(hexOf(findSumsEntry(archs, { segments: ['debian', 'amd64', 'disc.iso'], relative: 'amd64/disc.iso' })), b256);
  assert.is(hexOf(findSumsEntry(archs, { segments: ['debian', 'arm64', 'disc.iso'], relative: 'arm64/disc.iso' })), a256);
});

test('findSumsEntry: without a relative path, the longest tail of the URL path decides', () => {
  // A SUMS file on another mirror: only the source's own path is known.
  assert.is(hexOf(findSumsEntry(archs, { segments: ['pub', 'amd64', 'disc.iso'] })), b256);
  assert.is(hexOf(findSumsEntry(`${c512.slice(0, 64)}  disc.iso\n${archs}`, { segments: ['pub', 'amd64', 'disc.iso'] })), b256);
});

test('findSumsEntry: other architectures sharing the file name are ambiguous, not the first one', () => {
  const match = findSumsEntry(archs, { segments: ['pub', 'disc.iso'] });
  assert.is(match.kind, 'ambiguous');
  assert.equal(match.kind === 'ambiguous' && match.entries.map((e) => e.name), ['arm64/disc.iso', 'amd64/disc.iso']);
});

test.run();
