import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatReference, parseReference } from '../../lib/oci/reference.js';
import { kilnThrown } from '../helpers/rejection.js';

const D = `sha256:${'a'.repeat(64)}`;

const parsed: [string, ReturnType<typeof parseReference>][] = [
  ['oci://registry.example.com/images/debian-12:1.2.0', { registry: 'registry.example.com', repository: 'images/debian-12', tag: '1.2.0' }],
  ['127.0.0.1:5000/kiln/demo', { registry: '127.0.0.1:5000', repository: 'kiln/demo', tag: 'latest' }],
  ['oci://localhost/a', { registry: 'localhost', repository: 'a', tag: 'latest' }],
  [`oci://r.io/a/b@${D}`, { registry: 'r.io', repository: 'a/b', digest: D }],
  [`oci://r.io/a/b:v1@${D}`, { registry: 'r.io', repository: 'a/b', tag: 'v1', digest: D }],
  ['oci://R.IO:443/a.b/c__d/e-f--g:V_1.x-2', { registry: 'r.io:443', repository: 'a.b/c__d/e-f--g', tag: 'V_1.x-2' }],
  ['oci://[::1]:5000/a:b', { registry: '[::1]:5000', repository: 'a', tag: 'b' }],
];
for (const [text, expected] of parsed) {
  test(`parseReference: ${text}`, () => {
    assert.equal(parseReference(text, 'latest'), expected);
  });
}

test('parseReference without a default tag leaves it out', () => {
  assert.equal(parseReference('r.io/a'), { registry: 'r.io', repository: 'a' });
});

test('formatReference writes what parseReference reads', () => {
  assert.is(formatReference(parseReference(`oci://r.io:5000/a/b:v1@${D}`)), `r.io:5000/a/b:v1@${D}`);
});

const refused: [string, string, RegExp][] = [
  ['no repository', 'oci://r.io', /names no repository/],
  ['a host with an underscore', 'oci://r_io/a', /"r_io" is not a registry host/],
  ['an upper-case repository', 'oci://r.io/Images/a', /has the part "Images"/],
  ['an empty path part', 'oci://r.io/a//b', /has the part ""/],
  ['a tag starting with "."', 'oci://r.io/a:.x', /".x" is not a tag/],
  ['a 129-character tag', `oci://r.io/a:${'t'.repeat(129)}`, /is not a tag/],
  ['a short digest', 'oci://r.io/a@sha256:abc', /is not a digest/],
  ['an upper-case digest', `oci://r.io/a@sha256:${'A'.repeat(64)}`, /is not a digest/],
];
for (const [label, text, message] of refused) {
  test(`parseReference refuses ${label}, naming the form`, () => {
    const error = kilnThrown(() => parseReference(text, 'latest'));
    assert.is(error.code, 'E_USAGE');
    assert.match(error.message, message);
    assert.match(error.hint!, /oci:\/\/HOST\[:PORT\]\/REPOSITORY\[:TAG\]/);
  });
}

test.run();
