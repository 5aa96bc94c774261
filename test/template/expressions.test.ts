import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanExpressions } from '../../lib/template/expressions.js';

test('splits text and expressions with their offsets', () => {
  const { pieces, problems } = scanExpressions('url=http://{{ .HTTPIP }}:{{.HTTPPort}}/ks');
  assert.equal(problems, []);
  assert.equal(
    pieces.map((p) => [p.kind, p.start, p.end]),
    [
      ['text', 0, 11],
      ['expression', 11, 24],
      ['text', 24, 25],
      ['expression', 25, 38],
      ['text', 38, 41],
    ],
  );
  assert.equal(pieces[1], { kind: 'expression', expression: { kind: 'placeholder', name: 'HTTPIP' }, source: '{{ .HTTPIP }}', start: 11, end: 24 });
});

const expressions: [string, unknown][] = [
  ['{{ var `password` }}', { kind: 'var', name: 'password' }],
  ['{{ user `password` }}', { kind: 'var', name: 'password' }],
  ['{{ var "password" }}', { kind: 'var', name: 'password' }],
  ['{{ "{{" }}', { kind: 'literal', value: '{{' }],
  ['{{ `}}` }}', { kind: 'literal', value: '}}' }],
  ['{{ "a\\"b" }}', { kind: 'literal', value: 'a"b' }],
  ['{{ .CloudInitURL }}', { kind: 'placeholder', name: 'CloudInitURL' }],
];
for (const [text, expression] of expressions) {
  test(`parses ${text}`, () => {
    const { pieces, problems } = scanExpressions(text);
    assert.equal(problems, []);
    assert.is(pieces.length, 1);
    assert.equal(pieces[0]!.kind === 'expression' && pieces[0]!.expression, expression);
  });
}

const problems: [string, number, RegExp][] = [
  ['{{ .HTTPIp }}', 0, /unknown placeholder "\{\{ \.HTTPIp \}\}": did you mean "\{\{ \.HTTPIP \}\}"\?/],
  ['x {{ .Nope }}', 2, /unknown placeholder "\{\{ \.Nope \}\}": use \{\{ \.HTTPIP \}\}/],
  ['ab {{ .HTTPIP', 3, /unclosed "\{\{"/],
  ['{{ "}} ', 0, /unclosed "\{\{"/],
  ['{{ }}', 0, /empty placeholder/],
  ['{{ var password }}', 0, /write \{\{ var `password` \}\}/],
  ['{{ HTTPIP }}', 0, /missing the dot: write \{\{ \.HTTPIP \}\}/],
  ['{{ HTTPIp }}', 0, /did you mean "\{\{ \.HTTPIP \}\}"/],
  ['{{ if .x }}', 0, /is not a placeholder: use/],
];
for (const [text, offset, message] of problems) {
  test(`reports ${JSON.stringify(text)}`, () => {
    const scan = scanExpressions(text);
    assert.is(scan.problems.length, 1);
    assert.is(scan.problems[0]!.offset, offset);
    assert.match(scan.problems[0]!.message, message);
  });
}

test('text without expressions, and single braces, is plain text', () => {
  assert.equal(scanExpressions('a { b } }} c'), { pieces: [{ kind: 'text', text: 'a { b } }} c', start: 0, end: 12 }], problems: [] });
  assert.equal(scanExpressions(''), { pieces: [], problems: [] });
});

test.run();
