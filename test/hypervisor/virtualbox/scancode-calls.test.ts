import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SCANCODES_PER_CALL, planScancodeCalls, scancodeChunks } from '../../../lib/hypervisor/virtualbox/scancode-calls.js';
import { parseBootCommand } from '../../../lib/keyboard/parse.js';

const bytesOf = (steps: ReturnType<typeof planScancodeCalls>) => steps.flatMap((s) => (s.kind === 'scancodes' ? s.bytes : []));

test('a few keys per call, never more than the limit', () => {
  const steps = planScancodeCalls(parseBootCommand('install ks=http://10.0.2.2:8080/ks.cfg<enter>'));
  assert.ok(steps.length > 1);
  for (const s of steps) {
    assert.is(s.kind, 'scancodes');
    if (s.kind === 'scancodes') assert.ok(s.bytes.length <= MAX_SCANCODES_PER_CALL, String(s.bytes.length));
  }
  // Every key counted once, in the same order as typed.
  assert.is(steps.reduce((n, s) => n + (s.kind === 'scancodes' ? s.keys : 0), 0), 'install ks=http://10.0.2.2:8080/ks.cfg'.length + 1);
  assert.is(steps.map((s) => (s.kind === 'scancodes' ? s.text : '')).join(''), 'install ks=http://10.0.2.2:8080/ks.cfg<enter>');
});

test("a key's bytes stay together: shift and the e0 prefix are not split off", () => {
  // 'A' is 4 bytes; 7 of them need 28 bytes, so the 7th starts a new call of its own.
  const steps = planScancodeCalls(parseBootCommand('AAAAAAA'), 24);
  assert.equal(
    steps.map((s) => (s.kind === 'scancodes' ? s.bytes.length : -1)),
    [24, 4],
  );
  const ext = planScancodeCalls(parseBootCommand('<up><up><up><up><up><up><up>'), 10);
  for (const s of ext) if (s.kind === 'scancodes') assert.is(s.bytes.length % 4, 0);
});

test('waits split the typing and keep their place', () => {
  const steps = planScancodeCalls(parseBootCommand('ab<wait>cd<waitHttp /ks.cfg>e'));
  assert.equal(
    steps.map((s) => s.kind),
    ['scancodes', 'wait', 'scancodes', 'waitHttp', 'scancodes'],
  );
  assert.equal(steps[0], { kind: 'scancodes', bytes: ['1e', '9e', '30', 'b0'], keys: 2, text: 'ab', end: 2 });
  // `end` counts actions: a, b, <wait>, c, d, <waitHttp>, e
  assert.equal(steps.map((s) => (s.kind === 'scancodes' ? s.end : s.kind)), [2, 'wait', 5, 'waitHttp', 7]);
});

test('holds: a key held across calls is released later, bytes in order', () => {
  const steps = planScancodeCalls(parseBootCommand('<leftCtrlOn>c<leftCtrlOff>'));
  assert.equal(bytesOf(steps), ['1d', '2e', 'ae', '9d']);
});

test('one batch longer than the limit is split at event boundaries', () => {
  const events = parseBootCommand('<leftCtrlOn><leftAltOn><rightCtrlOn><rightAltOn>').flatMap((a) => (a.kind === 'keys' ? a.events : []));
  assert.equal(scancodeChunks(events, 3), [['1d', '38'], ['e0', '1d'], ['e0', '38']]);
  assert.equal(scancodeChunks([], 3), []);
});

test.run();
