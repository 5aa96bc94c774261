import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KilnError } from '../../lib/errors.js';
import { BootCommandSyntaxError, parseBootCommand } from '../../lib/keyboard/parse.js';
import { thrown } from '../helpers/rejection.js';

function syntaxError(source: string): BootCommandSyntaxError {
  const error = thrown(() => parseBootCommand(source), JSON.stringify(source));
  if (!(error instanceof BootCommandSyntaxError)) throw error;
  return error;
}

// [source, offset, message (exact, or a pattern), hint pattern?]
const CASES: [string, number, string | RegExp, RegExp?][] = [
  ['<entr>', 0, 'unknown special key <entr>: did you mean <enter>?'],
  ['abc<ENTR>', 3, 'unknown special key <ENTR>: did you mean <enter>?'],
  ['<esc><pageup><pgup>', 13, 'unknown special key <pgup>: did you mean <pageUp>?'],
  ['<leftCtrlOnn>', 0, 'unknown special key <leftCtrlOnn>: did you mean <leftCtrlOn>?'],
  ['<leftctrlof>', 0, 'unknown special key <leftctrlof>: did you mean <leftCtrlOff>?'],
  ['<f13>', 0, 'unknown special key <f13>: did you mean <f1>?'],
  ['<hello>', 0, 'unknown special key <hello>', /literal '<'.*<leftShiftOn>,<leftShiftOff>/],
  ['<nope>', 0, /^unknown special key <nope>/],
  ['x <y>', 2, 'unknown special key <y>'],
  ['<waitHtp /x>', 0, 'malformed <waitHtp ...>: did you mean <waitHttp /path>?'],
  ['<waitHtp>', 0, 'unknown special key <waitHtp>: did you mean <waitHttp /path>?'],
  ['<wait 5>', 0, 'malformed <wait ...>: did you mean <wait5>?', /<wait250ms>/],
  ['<wait5 >', 0, 'malformed <wait5 ...>: did you mean <wait5>?'],
  ['<enter >', 0, 'malformed <enter ...>: did you mean <enter>?'],
  ['<wait5x>', 0, 'invalid duration "5x" in <wait5x>', /500ms.*<wait5>/],
  ['ab<wait1d>', 2, 'invalid duration "1d" in <wait1d>'],
  ['<wait-5s>', 0, 'invalid duration "-5s" in <wait-5s>'],
  ['<foo-bar>', 0, 'unknown special key <foo-bar>'],
  ['<wait1.5>', 0, 'invalid duration "1.5" in <wait1.5>'],
  ['install<enter', 7, '<enter is missing its ">": it would be typed as text, not pressed', /write <enter> to press it; to type "<enter" as text, write <leftShiftOn>,<leftShiftOff>enter/],
  ['<esc<wait>', 0, '<esc is missing its ">": it would be typed as text, not pressed'],
  ['<wait5', 0, '<wait5 is missing its ">": it would be typed as text, not pressed'],
  ['x<tab', 1, '<tab is missing its ">": it would be typed as text, not pressed'],
  ['<leftCtrlOn,', 0, '<leftCtrlOn is missing its ">": it would be typed as text, not pressed'],
  ['<wait600h>', 0, /^<wait600h> is longer than 24h, kiln's limit/, /<waitHttp \/path>/],
  ['ab<wait86401>', 2, /^<wait86401> is longer than 24h/],
  [`<wait${'9'.repeat(400)}>`, 0, /is longer than 24h/],
  ['<waitx>', 0, 'unknown special key <waitx>: did you mean <wait>?'],
  ['<waitHttp>', 0, '<waitHttp> is missing its argument', /<waitHttp \/path>/],
  ['<waitHttp    >', 0, '<waitHttp    > is missing its argument'],
  ['<waitHttp', 0, '<waitHttp is missing its argument'],
  ['<waitHttp preseed.cfg>', 10, '<waitHttp> path "preseed.cfg" must start with /', /<waitHttp \/preseed.cfg>/],
  ['<waitHttp /x', 0, 'unterminated <waitHttp: no ">" after the path'],
  ['<waitHttp /x<enter>', 0, 'unterminated <waitHttp: no ">" after the path'],
  ['<waitSerial login:>', 12, '<waitSerial expects a double-quoted string or a /regex/'],
  ['<waitSerial "abc>', 12, 'unterminated string: no closing "'],
  ['<waitSerial "abc\n">', 12, 'unterminated string: no closing "'],
  ['<waitSerial "">', 12, 'empty "" would match at once'],
  ['<waitSerial "a\\nb">', 14, 'unknown escape "\\n" in a quoted string', /only \\" .* \\\\/],
  ['<waitSerial "ok" x>', 17, 'expected ">" to close <waitSerial'],
  ['<waitSerial "ok"', 16, 'expected ">" to close <waitSerial'],
  ['<waitSerial /(/>', 13, 'invalid regex /(/: Unterminated group', /JavaScript RegExp/],
  ['<esc><waitSerial /a[/>', 17, 'unterminated regex: no closing /'],
  ['<waitSerial //>', 12, 'empty // would match at once'],
  ['<waitSerial /login/i>', 19, 'regex flags are not supported in <waitSerial /re/>', /\[Ll\]ogin/],
  ['<waitScreen /x/>', 12, '<waitScreen expects a double-quoted string'],
  ['<waitScreen "">', 12, 'empty "" would match at once'],
  ['abc\tdef', 3, 'a literal tab (U+0009) cannot be typed', /<tab>/],
  ['a\x1bb', 1, 'control character U+001B cannot be typed'],
  ['a\x7f', 1, 'control character U+007F cannot be typed'],
  ['café', 3, '"é" (U+00E9) is not on the US keyboard', /US-layout/],
  ['ok 🚀', 3, '"🚀" (U+1F680) is not on the US keyboard'],
];

for (const [source, offset, message, hint] of CASES) {
  test(`${JSON.stringify(source)} -> offset ${offset}`, () => {
    const error = syntaxError(source);
    assert.ok(error instanceof KilnError);
    assert.is(error.code, 'E_INVALID');
    assert.is(error.name, 'BootCommandSyntaxError');
    assert.is(error.offset, offset);
    if (typeof message === 'string') assert.is(error.message, message);
    else assert.match(error.message, message);
    assert.ok(error.hint && error.hint.length > 0, 'every error carries a hint');
    if (hint) assert.match(error.hint!, hint);
  });
}

test('a non-ASCII character after "<" is reported at the character, not the "<"', () => {
  const error = syntaxError('<éOn>');
  assert.is(error.offset, 1);
  assert.match(error.message, /"é"/);
});

test('a "<" before a word that is no key or wait stays text', () => {
  for (const text of ['<entering', 'a<b c', '<<', 'x <- y', '<enter-key', '<Up2']) assert.ok(parseBootCommand(text).length > 0, text);
});

test('waits up to 24h are accepted', () => {
  assert.equal(parseBootCommand('<wait86400><wait24h>'), [{ kind: 'wait', ms: 86_400_000 }, { kind: 'wait', ms: 86_400_000 }]);
});

test('the first problem wins', () => {
  assert.is(syntaxError('<entr>é').offset, 0);
  assert.is(syntaxError('é<entr>').offset, 0);
});

test.run();
