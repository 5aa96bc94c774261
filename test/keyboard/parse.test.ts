import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootCommand, type BootAction, type KeyEvent } from '../../lib/keyboard/parse.js';
import { PRINTABLE_ASCII, typedText } from './typed-text.js';

const dn = (qcode: string): KeyEvent => ({ qcode, down: true });
const up = (qcode: string): KeyEvent => ({ qcode, down: false });
const tap = (qcode: string) => [dn(qcode), up(qcode)];
const keys = (text: string, ...events: KeyEvent[]): BootAction => ({ kind: 'keys', events, text });

test('every printable ASCII character round-trips, one key press each', () => {
  assert.is(PRINTABLE_ASCII.length, 95);
  const actions = parseBootCommand(PRINTABLE_ASCII);
  assert.is(typedText(actions), PRINTABLE_ASCII);
  assert.equal(
    actions.map((a) => (a.kind === 'keys' ? a.text : '?')),
    [...PRINTABLE_ASCII],
  );
});

test('literal text with "<" that starts no special form is typed', () => {
  for (const text of ['a < b', '<<', 'x<', '<', 'if [ $a -lt 3 ]<-x', '<b c>', '<1>', '< >', 'a<=b', '<foo bar']) {
    assert.is(typedText(parseBootCommand(text)), text, text);
  }
});

test('shifted and unshifted characters get exactly the events they need', () => {
  assert.equal(parseBootCommand('aA{:'), [
    keys('a', ...tap('a')),
    keys('A', dn('shift'), ...tap('a'), up('shift')),
    keys('{', dn('shift'), ...tap('bracket_left'), up('shift')),
    keys(':', dn('shift'), ...tap('semicolon'), up('shift')),
  ]);
});

const SPECIALS: [string, string][] = [
  ['enter', 'ret'],
  ['return', 'ret'],
  ['esc', 'esc'],
  ['tab', 'tab'],
  ['spacebar', 'spc'],
  ['bs', 'backspace'],
  ['del', 'delete'],
  ['insert', 'insert'],
  ['home', 'home'],
  ['end', 'end'],
  ['pageUp', 'pgup'],
  ['pageDown', 'pgdn'],
  ['menu', 'menu'],
  ['up', 'up'],
  ['down', 'down'],
  ['left', 'left'],
  ['right', 'right'],
  ...Array.from({ length: 12 }, (_, i): [string, string] => [`f${i + 1}`, `f${i + 1}`]),
  ['leftAlt', 'alt'],
  ['rightAlt', 'alt_r'],
  ['leftCtrl', 'ctrl'],
  ['rightCtrl', 'ctrl_r'],
  ['leftShift', 'shift'],
  ['rightShift', 'shift_r'],
  ['leftSuper', 'meta_l'],
  ['rightSuper', 'meta_r'],
];

for (const [name, qcode] of SPECIALS) {
  test(`<${name}> taps ${qcode}; On holds, Off releases; any case`, () => {
    assert.equal(parseBootCommand(`<${name}>`), [keys(`<${name}>`, ...tap(qcode))]);
    assert.equal(parseBootCommand(`<${name.toUpperCase()}>`), [keys(`<${name.toUpperCase()}>`, ...tap(qcode))]);
    assert.equal(parseBootCommand(`<${name.toLowerCase()}On><${name}OFF>`), [
      keys(`<${name.toLowerCase()}On>`, dn(qcode)),
      keys(`<${name}OFF>`, up(qcode)),
    ]);
  });
}

test('a ctrl hold around a key: <leftCtrlOn>x<leftCtrlOff>', () => {
  assert.equal(parseBootCommand('<leftCtrlOn>x<leftCtrlOff>'), [
    keys('<leftCtrlOn>', dn('ctrl')),
    keys('x', ...tap('x')),
    keys('<leftCtrlOff>', up('ctrl')),
  ]);
  assert.equal(parseBootCommand('<leftAltOn><f2><leftAltOff>').map((a) => a.kind === 'keys' && a.events), [
    [dn('alt')],
    tap('f2'),
    [up('alt')],
  ]);
});

test('shifted characters inside a user shift hold never release it', () => {
  for (const hold of ['leftShift', 'rightShift']) {
    const qcode = hold === 'leftShift' ? 'shift' : 'shift_r';
    const actions = parseBootCommand(`<${hold}On>A?b<${hold}Off>C`);
    assert.equal(actions, [
      keys(`<${hold}On>`, dn(qcode)),
      keys('A', ...tap('a')),
      keys('?', ...tap('slash')),
      keys('b', ...tap('b')), // shift is down, so the guest sees B: what the user asked for
      keys(`<${hold}Off>`, up(qcode)),
      keys('C', dn('shift'), ...tap('c'), up('shift')),
    ]);
    assert.is(typedText(actions), 'A?BC');
  }
});

test("Packer's character holds: <aOn>/<aOff>, shift added and removed for <AOn>", () => {
  assert.equal(parseBootCommand('<aOn><aOff>'), [keys('<aOn>', dn('a')), keys('<aOff>', up('a'))]);
  assert.equal(parseBootCommand('<AOn>b<AOff>'), [
    keys('<AOn>', dn('shift'), dn('a')),
    keys('b', ...tap('b')),
    keys('<AOff>', up('a'), up('shift')),
  ]);
  assert.equal(parseBootCommand('<leftShiftOn><%On><%Off><leftShiftOff>'), [
    keys('<leftShiftOn>', dn('shift')),
    keys('<%On>', dn('5')),
    keys('<%Off>', up('5')),
    keys('<leftShiftOff>', up('shift')),
  ]);
  assert.equal(parseBootCommand('<-on>'), [keys('<-on>', dn('minus'))]);
});

test('tapping a held key leaves it up', () => {
  const actions = parseBootCommand('<leftShiftOn><leftShift>A');
  assert.equal(actions[2], keys('A', dn('shift'), ...tap('a'), up('shift')));
});

const WAITS: [string, number][] = [
  ['<wait>', 1000],
  ['<WAIT>', 1000],
  ['<wait0>', 0],
  ['<wait5>', 5000],
  ['<wait10>', 10_000],
  ['<wait120>', 120_000],
  ['<wait1m30s>', 90_000],
  ['<wait250ms>', 250],
  ['<Wait2s>', 2000],
  ['<wait1.5s>', 1500],
  ['<wait1h>', 3_600_000],
  ['<WAIT5S>', 5000],
  ['<wait2M5S>', 125_000],
];
for (const [source, ms] of WAITS) {
  test(`${source} waits ${ms} ms`, () => assert.equal(parseBootCommand(source), [{ kind: 'wait', ms }]));
}

const FORMS: [string, BootAction][] = [
  ['<waitHttp /preseed.cfg>', { kind: 'waitHttp', path: '/preseed.cfg' }],
  ['<waithttp   /a/b?c=1  >', { kind: 'waitHttp', path: '/a/b?c=1' }],
  ['<WAITHTTP/x>', { kind: 'waitHttp', path: '/x' }],
  ['<waitHttp /{{ .Name }}.cfg>', { kind: 'waitHttp', path: '/{{ .Name }}.cfg' }],
  ['<waitSerial "login:">', { kind: 'waitSerial', text: 'login:', regex: false }],
  ['<waitSerial "say \\"hi\\" \\\\o/" >', { kind: 'waitSerial', text: 'say "hi" \\o/', regex: false }],
  ['<waitSerial "a > b <c>">', { kind: 'waitSerial', text: 'a > b <c>', regex: false }],
  ['<waitSerial /login: ?$/>', { kind: 'waitSerial', text: 'login: ?$', regex: true }],
  ['<waitSerial /a\\/b[/]c/>', { kind: 'waitSerial', text: 'a\\/b[/]c', regex: true }],
  ['<waitSerial /x>y/>', { kind: 'waitSerial', text: 'x>y', regex: true }],
  ['<waitScreen "Install complete">', { kind: 'waitScreen', text: 'Install complete' }],
  ['<waitscreen "é ok">', { kind: 'waitScreen', text: 'é ok' }],
];
for (const [source, action] of FORMS) {
  test(`${source}`, () => assert.equal(parseBootCommand(source), [action]));
}

test('line breaks are layout, not typed', () => {
  const actions = parseBootCommand('a\nb\r\n<enter>\n');
  assert.is(typedText(actions), 'ab<ret>');
  assert.equal(parseBootCommand('\n\r\n'), []);
  assert.equal(parseBootCommand(''), []);
});

const text = (actions: BootAction[]) =>
  actions.map((a) => (a.kind === 'keys' ? (a.text.length === 1 ? a.text : `[${a.text}]`) : `[${a.kind} ${JSON.stringify(a)}]`)).join('');

test('Debian preseed boot command', () => {
  const source = '<esc><wait>auto preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg<enter>';
  const actions = parseBootCommand(source);
  assert.equal(actions[0], keys('<esc>', ...tap('esc')));
  assert.equal(actions[1], { kind: 'wait', ms: 1000 });
  assert.equal(actions.at(-1), keys('<enter>', ...tap('ret')));
  const typed = 'auto preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg';
  assert.is(typedText(actions.slice(2, -1)), typed);
  assert.is(actions.length, 2 + typed.length + 1);
});

test('Ubuntu GRUB autoinstall boot command', () => {
  const source =
    '<wait>e<down><down><down><end><bs><bs><bs><bs><wait>autoinstall ds=nocloud-net\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ --- <f10>';
  const actions = parseBootCommand(source);
  assert.is(
    text(actions),
    '[wait {"kind":"wait","ms":1000}]e[<down>][<down>][<down>][<end>][<bs>][<bs>][<bs>][<bs>][wait {"kind":"wait","ms":1000}]' +
      'autoinstall ds=nocloud-net\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ --- [<f10>]',
  );
  assert.is(
    typedText(actions),
    'e<down><down><down><end><backspace><backspace><backspace><backspace>autoinstall ds=nocloud-net\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ --- <f10>',
  );
});

test('kiln waits between keys', () => {
  const actions = parseBootCommand('<enter><waitHttp /preseed.cfg><waitSerial /login:/>root<enter><waitScreen "#">');
  assert.is(
    text(actions),
    '[<enter>][waitHttp {"kind":"waitHttp","path":"/preseed.cfg"}][waitSerial {"kind":"waitSerial","text":"login:","regex":true}]root[<enter>][waitScreen {"kind":"waitScreen","text":"#"}]',
  );
});

test.run();
