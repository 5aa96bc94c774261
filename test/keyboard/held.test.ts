import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heldAtEnd } from '../../lib/keyboard/held.js';
import { parseBootCommand } from '../../lib/keyboard/parse.js';

const releases = (source: string) => heldAtEnd(parseBootCommand(source)).map((e) => `${e.qcode}${e.down ? '+' : '-'}`);

test('nothing is held after balanced commands', () => {
  for (const source of ['', 'Hello World!', '<leftCtrlOn>c<leftCtrlOff>', '<AOn><AOff>', '<leftShiftOn>ABC<leftShiftOff>', '<wait5><enter>']) {
    assert.equal(releases(source), [], source);
  }
});

test('keys left down are released, most recent first', () => {
  assert.equal(releases('<leftCtrlOn>'), ['ctrl-']);
  assert.equal(releases('<leftCtrlOn><leftAltOn>x'), ['alt-', 'ctrl-']);
  assert.equal(releases('<leftCtrlOn><leftAltOn><leftCtrlOff>'), ['alt-']);
  assert.equal(releases('<AOn>'), ['a-', 'shift-']);
  assert.equal(releases('<enterOn>'), ['ret-']);
  assert.equal(releases('<leftShiftOn>A<wait>'), ['shift-']);
});

test('releases for a command cut short, e.g. cancelled mid-way', () => {
  const actions = parseBootCommand('<leftCtrlOn><leftAltOn><del><leftAltOff><leftCtrlOff>');
  assert.equal(heldAtEnd(actions.slice(0, 3)), [
    { qcode: 'alt', down: false },
    { qcode: 'ctrl', down: false },
  ]);
  assert.equal(heldAtEnd(actions.slice(0, 4)), [{ qcode: 'ctrl', down: false }]);
});

test.run();
