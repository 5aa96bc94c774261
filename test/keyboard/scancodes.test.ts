import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootCommand } from '../../lib/keyboard/parse.js';
import { ALL_QCODES } from '../../lib/keyboard/qcodes.js';
import { encodeScancodes, SCANCODES } from '../../lib/keyboard/scancodes.js';
import { PRINTABLE_ASCII } from './typed-text.js';
import { kilnThrown } from '../helpers/rejection.js';

// Set-1 make codes written out by keyboard row, independently of lib/.
const ROWS: [number, string][] = [
  [0x02, '1234567890-='],
  [0x10, 'qwertyuiop[]'],
  [0x1e, "asdfghjkl;'`"],
  [0x2b, '\\zxcvbnm,./'],
];
const SHIFTED = '!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:"~|ZXCVBNM<>?';
const UNSHIFTED = '1234567890-=qwertyuiop[]asdfghjkl;\'`\\zxcvbnm,./';

function expectedBytes(ch: string): string[] {
  if (ch === ' ') return ['39', 'b9'];
  const plain = SHIFTED.includes(ch) ? UNSHIFTED[SHIFTED.indexOf(ch)]! : ch;
  for (const [first, keys] of ROWS) {
    const i = keys.indexOf(plain);
    if (i < 0) continue;
    const make = (first + i).toString(16).padStart(2, '0');
    const brk = (first + i + 0x80).toString(16);
    return plain === ch ? [make, brk] : ['2a', make, brk, 'aa'];
  }
  throw new Error(`no expectation for ${ch}`);
}

test('every printable ASCII character encodes as its set-1 bytes', () => {
  for (const ch of PRINTABLE_ASCII) {
    const [action] = parseBootCommand(ch === '<' ? '<' : ch);
    assert.ok(action?.kind === 'keys');
    assert.equal(encodeScancodes(action.events), expectedBytes(ch), JSON.stringify(ch));
  }
});

const SPECIALS: [string, string[]][] = [
  ['<enter>', ['1c', '9c']],
  ['<return>', ['1c', '9c']],
  ['<esc>', ['01', '81']],
  ['<tab>', ['0f', '8f']],
  ['<spacebar>', ['39', 'b9']],
  ['<bs>', ['0e', '8e']],
  ['<del>', ['e0', '53', 'e0', 'd3']],
  ['<insert>', ['e0', '52', 'e0', 'd2']],
  ['<home>', ['e0', '47', 'e0', 'c7']],
  ['<end>', ['e0', '4f', 'e0', 'cf']],
  ['<pageUp>', ['e0', '49', 'e0', 'c9']],
  ['<pageDown>', ['e0', '51', 'e0', 'd1']],
  ['<menu>', ['e0', '5d', 'e0', 'dd']],
  ['<up>', ['e0', '48', 'e0', 'c8']],
  ['<down>', ['e0', '50', 'e0', 'd0']],
  ['<left>', ['e0', '4b', 'e0', 'cb']],
  ['<right>', ['e0', '4d', 'e0', 'cd']],
  ['<f1>', ['3b', 'bb']],
  ['<f2>', ['3c', 'bc']],
  ['<f3>', ['3d', 'bd']],
  ['<f4>', ['3e', 'be']],
  ['<f5>', ['3f', 'bf']],
  ['<f6>', ['40', 'c0']],
  ['<f7>', ['41', 'c1']],
  ['<f8>', ['42', 'c2']],
  ['<f9>', ['43', 'c3']],
  ['<f10>', ['44', 'c4']],
  ['<f11>', ['57', 'd7']],
  ['<f12>', ['58', 'd8']],
  ['<leftAlt>', ['38', 'b8']],
  ['<rightAlt>', ['e0', '38', 'e0', 'b8']],
  ['<leftCtrl>', ['1d', '9d']],
  ['<rightCtrl>', ['e0', '1d', 'e0', '9d']],
  ['<leftShift>', ['2a', 'aa']],
  ['<rightShift>', ['36', 'b6']],
  ['<leftSuper>', ['e0', '5b', 'e0', 'db']],
  ['<rightSuper>', ['e0', '5c', 'e0', 'dc']],
];
for (const [source, bytes] of SPECIALS) {
  test(`${source} -> ${bytes.join(' ')}`, () => {
    const [action] = parseBootCommand(source);
    assert.ok(action?.kind === 'keys');
    assert.equal(encodeScancodes(action.events), bytes);
  });
}

test('holds encode make and break separately', () => {
  const events = parseBootCommand('<rightCtrlOn>c<rightCtrlOff>').flatMap((a) => (a.kind === 'keys' ? a.events : []));
  assert.equal(encodeScancodes(events), ['e0', '1d', '2e', 'ae', 'e0', '9d']);
});

test('every qcode kiln sends has a scancode, and the table has no extras', () => {
  for (const qcode of ALL_QCODES) assert.ok(SCANCODES.has(qcode), qcode);
  assert.is(SCANCODES.size, ALL_QCODES.length);
});

test('no two keys share a scancode', () => {
  const seen = new Set([...SCANCODES.values()].map((c) => `${c.extended}:${c.make}`));
  assert.is(seen.size, SCANCODES.size);
});

test('an unknown qcode is a typed error naming it', () => {
  const error = kilnThrown(() => encodeScancodes([{ qcode: 'kp_enter', down: true }]));
  assert.is(error.code, 'E_BOOT');
  assert.match(error.message, /"kp_enter"/);
});

test.run();
