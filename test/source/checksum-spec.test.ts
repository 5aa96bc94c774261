import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChecksumSpec } from '../../lib/source/checksum-spec.js';

const sha256 = 'a'.repeat(64);

test('digest forms', () => {
  assert.equal(parseChecksumSpec(`sha256:${sha256}`), { ok: true, spec: { kind: 'digest', algorithm: 'sha256', hex: sha256 } });
  assert.equal(parseChecksumSpec(`SHA256:${sha256.toUpperCase()}`), { ok: true, spec: { kind: 'digest', algorithm: 'sha256', hex: sha256 } });
  assert.ok(parseChecksumSpec(`md5:${'0'.repeat(32)}`).ok);
  assert.ok(parseChecksumSpec(`sha1:${'0'.repeat(40)}`).ok);
  assert.ok(parseChecksumSpec(`sha512:${'0'.repeat(128)}`).ok);
});

test('none and file', () => {
  assert.equal(parseChecksumSpec('none'), { ok: true, spec: { kind: 'none' } });
  assert.equal(parseChecksumSpec('file:https://x.org/SHA256SUMS'), {
    ok: true,
    spec: { kind: 'file', location: 'https://x.org/SHA256SUMS', algorithm: 'sha256' },
  });
  assert.equal(parseChecksumSpec('file:sums.txt'), { ok: true, spec: { kind: 'file', location: 'sums.txt', algorithm: undefined } });
});

test('errors name the problem', () => {
  const bad = (s: string) => {
    const r = parseChecksumSpec(s);
    assert.not.ok(r.ok);
    return r.ok ? '' : r.message;
  };
  assert.match(bad(`sha256:${'a'.repeat(63)}`), /64 hex digits, got 63/);
  assert.match(bad('sha3:abc'), /unknown checksum type "sha3"/);
  assert.match(bad('deadbeef'), /not a checksum/);
  assert.match(bad('file:'), /needs the URL/);
  assert.match(bad(`sha256:${'g'.repeat(64)}`), /hex digits/);
});

test.run();
