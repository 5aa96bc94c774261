import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestMatch, didYouMean } from '../../lib/template/did-you-mean.js';

const keys = ['name', 'variables', 'hypervisor', 'source', 'machine', 'http', 'boot', 'ssh', 'provision', 'shutdown', 'output'];
const cases: [string, string | undefined][] = [
  ['machne', 'machine'],
  ['Machine', 'machine'],
  ['provisioners', 'provision'],
  ['outptu', 'output'],
  ['shh', 'ssh'],
  ['foo', undefined],
  ['communicator', undefined],
];
for (const [input, want] of cases) {
  test(`closestMatch(${input})`, () => assert.is(closestMatch(input, keys), want));
}

test('didYouMean words the suggestion or says nothing', () => {
  assert.is(didYouMean('machne', keys), ': did you mean "machine"?');
  assert.is(didYouMean('zzzzzz', keys), '');
  assert.is(didYouMean('HTTPIp', ['HTTPIP'], (s) => `{{ .${s} }}`), ': did you mean {{ .HTTPIP }}?');
});

test.run();
