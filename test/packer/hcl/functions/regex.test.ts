import { test } from 'uvu';
import { errorCases, resultCases } from './call.js';

resultCases(test, [
  ['regex', ['[a-z]+', '53453453.345345aaabbbccc23454'], 'aaabbbccc'],
  ['regex', ['(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'], ['2019', '02', '01']],
  ['regex', ['^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://example.com/x'], { authority: 'example.com', scheme: 'https' }],
  ['regex', ['(a)|(b)', 'b'], [null, 'b']],
  ['regex', ['(?i)UBUNTU', 'my-ubuntu-box'], 'ubuntu'],
  ['regex', ['(?s)a.b', 'a\nb'], 'a\nb'],
  ['regex', ['[[:digit:]]+', 'v22'], '22'],
  ['regex', ['\\Afoo', 'foobar'], 'foo'],
  ['regex', ['\\pL+', 'héllo1'], 'héllo'],
  ['regex', ['bar\\z', 'foobar'], 'bar'],
  ['regexall', ['[a-z]+', '1234abcd5678efgh9'], ['abcd', 'efgh']],
  ['regexall', ['(\\w)=(\\d)', 'a=1 b=2'], [['a', '1'], ['b', '2']]],
  ['regexall', ['z', 'abc'], []],
  ['regexall', ['b*', 'abc'], ['', 'b', '']],
  ['regex_replace', ['hello world', 'o(\\s|$)', '0$1'], 'hell0 world'],
  ['regex_replace', ['abc', 'b*', '-'], '-a-c-'],
  // Go's expansion: $1x names a group "1x" (empty); ${1}x is group 1 then "x"; $$ is "$".
  ['regex_replace', ['a-b', '(\\w)-(\\w)', '$2$1x ${2}${1}x $$'], 'b bax $'],
  ['regex_replace', ['name', '(?P<word>\\w+)', '<$word>'], '<name>'],
  ['replace', ['a.b.c', '/\\./', '/'], 'a/b/c'],
]);

errorCases(test, [
  ['regex', ['z', 'abc'], 'regex: pattern "z" did not match any part of the given string'],
  ['regex', ['(a)(?P<n>b)', 'ab'], 'regex: invalid regexp pattern: cannot mix both named and unnamed capture groups'],
  ['regexall', ['(a)(?P<n>b)', 'zz'], 'regexall: invalid regexp pattern: cannot mix both named and unnamed capture groups'],
  ['regex', ['(unclosed', 'x'], 'regex: invalid regexp pattern "(unclosed": /(unclosed/g: Unterminated group'],
  ['regex', ['(?U)a+', 'aa'], 'regex: invalid regexp pattern: the (?U) flag is not supported'],
  ['regex', ['[[:nope:]]', 'a'], 'regex: invalid regexp pattern: unknown character class [:nope:]'],
  ['regex_replace', ['x', '*', 'y'], 'regex_replace: invalid regexp pattern "*": /*/g: Nothing to repeat'],
  ['regex', ['a'], 'regex: expects 2 arguments, got 1'],
]);

test.run();
