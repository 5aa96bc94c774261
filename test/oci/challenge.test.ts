import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChallenge, tokenUrl } from '../../lib/oci/challenge.js';

const challenges: [string, ReturnType<typeof parseChallenge>][] = [
  ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
  [
    'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"',
    { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull' } },
  ],
  ['bearer realm=https://a/t, service=r', { scheme: 'bearer', params: { realm: 'https://a/t', service: 'r' } }],
  ['Basic realm="a \\"quoted\\" realm"', { scheme: 'basic', params: { realm: 'a "quoted" realm' } }],
  ['Basic', { scheme: 'basic', params: {} }],
];
for (const [header, expected] of challenges) {
  test(`parseChallenge: ${header}`, () => {
    assert.equal(parseChallenge(header), expected);
  });
}

test('parseChallenge: no header, no challenge', () => {
  assert.is(parseChallenge(undefined), undefined);
  assert.is(parseChallenge(''), undefined);
});

test("tokenUrl asks for the challenge's scope and kiln's, with the service", () => {
  const url = new URL(tokenUrl(parseChallenge('Bearer realm="https://auth.io/token?x=1",service="reg",scope="repository:a:pull"')!, ['repository:a:pull,push']));
  assert.is(url.origin + url.pathname, 'https://auth.io/token');
  assert.is(url.searchParams.get('x'), '1');
  assert.is(url.searchParams.get('service'), 'reg');
  assert.equal(url.searchParams.getAll('scope'), ['repository:a:pull', 'repository:a:pull,push']);
});

test.run();
