import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputGate } from '../../lib/console/output-gate.js';

test('OutputGate holds writes while a session runs and replays them in order', () => {
  const gate = new OutputGate();
  const out: string[] = [];
  gate.pass(() => out.push('a'));
  gate.hold();
  gate.pass(() => out.push('b'));
  gate.pass(() => out.push('c'));
  assert.equal(out, ['a']);
  gate.release();
  assert.equal(out, ['a', 'b', 'c']);
  gate.pass(() => out.push('d'));
  assert.equal(out, ['a', 'b', 'c', 'd']);
});

test.run();
