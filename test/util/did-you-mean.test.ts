import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestMatch, didYouMean } from '../../lib/util/did-you-mean.js';

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

test('a tie goes to the longer shared start; maxEdits sets the tolerance', () => {
  assert.is(closestMatch('leftctrlof', ['leftCtrlOn', 'leftCtrlOff']), 'leftCtrlOff');
  assert.is(closestMatch('leftctrlof', ['leftCtrlOff', 'leftCtrlOn']), 'leftCtrlOff');
  assert.is(closestMatch('macine', ['machine']), 'machine');
  assert.is(closestMatch('macine', ['machine'], { maxEdits: () => 0 }), undefined);
  assert.is(closestMatch('abc', ['abcdef'], { maxEdits: () => 2 }), undefined, 'three characters longer is three edits');
});

test('didYouMean words the suggestion or says nothing', () => {
  assert.is(didYouMean('machne', keys), ': did you mean "machine"?');
  assert.is(didYouMean('zzzzzz', keys), '');
  assert.is(didYouMean('HTTPIp', ['HTTPIP'], (s) => `{{ .${s} }}`), ': did you mean {{ .HTTPIP }}?');
});

test.run();
