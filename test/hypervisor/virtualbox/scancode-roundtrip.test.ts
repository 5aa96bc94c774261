// lib/keyboard's set-1 encoder against the fake VBoxManage's decoder, which was
// written separately: what kiln types must come out as what the template said.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootCommand } from '../../../lib/keyboard/parse.js';
import { SPECIAL_KEYS } from '../../../lib/keyboard/qcodes.js';
import { heldAtEnd } from '../../../lib/keyboard/held.js';
import { encodeScancodes } from '../../../lib/keyboard/scancodes.js';
import { decodeScancodes } from '../../fakes/vboxmanage/scancode-decoder.js';
import { PRINTABLE_ASCII } from '../../keyboard/typed-text.js';

function typed(source: string): string {
  const actions = parseBootCommand(source);
  const events = [...actions.flatMap((a) => (a.kind === 'keys' ? a.events : [])), ...heldAtEnd(actions)];
  const bytes = encodeScancodes(events).map((b) => parseInt(b, 16));
  return decodeScancodes('', bytes, { held: [] });
}

test('every printable ASCII character, one at a time', () => {
  for (const ch of PRINTABLE_ASCII) assert.is(typed(ch === '<' ? '<' : ch), ch, JSON.stringify(ch));
});

test('all printable ASCII in one line', () => {
  // A '<' followed by a letter would start a form; the set is in code order, where '<' precedes '='.
  assert.is(typed(PRINTABLE_ASCII), PRINTABLE_ASCII);
});

const NAMES: Record<string, string> = { return: 'enter', spacebar: ' ' };
const MODIFIER = /^(left|right)(Alt|Ctrl|Shift|Super)$/;
for (const name of Object.keys(SPECIAL_KEYS)) {
  test(`<${name}> round trip`, () => {
    const expected = MODIFIER.test(name) ? `<${name}>` : name in NAMES ? (NAMES[name] === ' ' ? ' ' : `<${NAMES[name]}>`) : `<${name}>`;
    assert.is(typed(`<${name}>`), expected);
  });
}

const HOLDS: [string, string][] = [
  ['<leftCtrlOn>c<leftCtrlOff>', '<leftCtrlOn>c<leftCtrlOff>'],
  ['<rightAltOn><f2><rightAltOff>', '<rightAltOn><f2><rightAltOff>'],
  ['<leftSuperOn>r<leftSuperOff>', '<leftSuperOn>r<leftSuperOff>'],
  ['<leftShiftOn>abc<leftShiftOff>d', 'ABCd'],
  ['<rightShiftOn>x1<rightShiftOff>', 'X!'],
  ['<leftCtrlOn><leftAltOn><del><leftAltOff><leftCtrlOff>', '<leftCtrlOn><leftAltOn><del><leftAltOff><leftCtrlOff>'],
  // Never released by the command: the driver releases it at the end.
  ['<leftAltOn>x', '<leftAltOn>x<leftAltOff>'],
  ['<aOn>b<aOff>', 'ab'],
  ['<AOn><AOff>', 'A'],
];
for (const [source, expected] of HOLDS) {
  test(`hold/release ${source}`, () => assert.is(typed(source), expected));
}

test('held keys survive between calls', () => {
  const keyboard = { held: [] };
  let text = decodeScancodes('', [0x1d], keyboard); // ctrl down
  text = decodeScancodes(text, [0x2e, 0xae], keyboard);
  text = decodeScancodes(text, [0x9d], keyboard);
  assert.is(text, '<leftCtrlOn>c<leftCtrlOff>');
});

test('nonsense bytes show up', () => {
  assert.is(decodeScancodes('', [0x54], { held: [] }), '<?54>');
  assert.is(decodeScancodes('', [0x9d], { held: [] }), '<?9d>');
  assert.is(decodeScancodes('', [0xe0], { held: [] }), '<?e0>');
});

test.run();
