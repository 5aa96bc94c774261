// <waitSerial /re/>: regexes that can backtrack exponentially are refused at validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BootCommandSyntaxError, parseBootCommand } from '../../lib/keyboard/parse.js';
import { nestedRepeat } from '../../lib/keyboard/regex-safety.js';
import { thrown } from '../helpers/rejection.js';

test('nested repeats are found, with the outer group', () => {
  const cases: [string, string, number][] = [
    ['(a+)+', '(a+)+', 0],
    ['x(a*)*y', '(a*)*', 1],
    ['^(\\w+\\s?)*$', '(\\w+\\s?)*', 1],
    ['((ab)+c)+', '((ab)+c)+', 0],
    ['(?:[a-z]+,)+', '(?:[a-z]+,)+', 0],
    ['(a{2,})*', '(a{2,})*', 0],
    ['(a+){2,5}', '(a+){2,5}', 0],
    ['(?<n>.*x)+?', '(?<n>.*x)+?', 0],
  ];
  for (const [source, group, offset] of cases) assert.equal(nestedRepeat(source), { group, offset }, source);
});

test('ordinary regexes pass: one level of repeat, fixed counts, optional groups, escapes and classes', () => {
  for (const source of ['login:', '[Ll]ogin: *$', '(ab)+', '(a+b)?', '(a+){3}', '(a+){1,1}', '\\(a+\\)+', '[(a+)]+', 'a+b*c{2,}', '(?=a+)b', '(foo|bar)+', '[+*]+']) {
    assert.is(nestedRepeat(source), undefined, source);
  }
});

test('the boot command refuses /(a+)+/ at the group, with the fix', () => {
  const command = 'x<waitSerial /ok (\\d+\\s?)+ done/>';
  const error = thrown(() => parseBootCommand(command)) as BootCommandSyntaxError;
  assert.instance(error, BootCommandSyntaxError);
  assert.match(error.message, 'repeats a group that itself repeats, (\\d+\\s?)+');
  assert.is(error.offset, command.indexOf('(\\d'));
  assert.match(error.hint!, 'drop one of the two repeats');
  assert.equal(parseBootCommand('<waitSerial /login: *$/>'), [{ kind: 'waitSerial', text: 'login: *$', regex: true }]);
});

test('checking is linear: a 60,000-character regex is judged at once', () => {
  const begin = performance.now();
  assert.is(nestedRepeat('(a'.repeat(30_000) + ')'.repeat(30_000)), undefined);
  assert.ok(nestedRepeat('(a+'.repeat(20_000) + ')+'.repeat(20_000)));
  assert.ok(performance.now() - begin < 1000);
});

test.run();
