import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envAssignments, exportPrefix, isEnvName, shellQuote, shellWord } from '../../lib/ssh/shell-quote.js';
import { kilnThrown } from '../helpers/rejection.js';

const quoted: [string, string][] = [
  ['', "''"],
  ['plain', "'plain'"],
  ['x y', "'x y'"],
  ["it's", "'it'\\''s'"],
  ["''", "''\\'''\\'''"],
  ['$HOME `id` "q" \\n', "'$HOME `id` \"q\" \\n'"],
  ['line1\nline2', "'line1\nline2'"],
];
for (const [input, want] of quoted) {
  test(`shellQuote(${JSON.stringify(input)})`, () => assert.is(shellQuote(input), want));
}

// The real test of quoting: /bin/sh must hand the exact string back.
for (const [input] of quoted) {
  test(`/bin/sh reads shellQuote(${JSON.stringify(input)}) back unchanged`, () => {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(input)}`], { encoding: 'utf8' });
    assert.is(out, input);
  });
}

const words: [string, string][] = [
  ['/tmp/kiln-ab12.sh', '/tmp/kiln-ab12.sh'],
  ['a=b,c:d@e%f+g', 'a=b,c:d@e%f+g'],
  ['', "''"],
  ['/tmp/my script.sh', "'/tmp/my script.sh'"],
  ['a;b', "'a;b'"],
  ['~/x', "'~/x'"],
  ['*', "'*'"],
];
for (const [input, want] of words) {
  test(`shellWord(${JSON.stringify(input)})`, () => assert.is(shellWord(input), want));
}

const names: [string, boolean][] = [
  ['A', true],
  ['_x9', true],
  ['PATH', true],
  ['9A', false],
  ['A-B', false],
  ['', false],
  ['A B', false],
  ['A=1', false],
];
for (const [name, want] of names) {
  test(`isEnvName(${JSON.stringify(name)})`, () => assert.is(isEnvName(name), want));
}

test('exportPrefix quotes every value and ends with "; "', () => {
  assert.is(exportPrefix({ A: '1', B: 'x y' }), "export A='1' B='x y'; ");
  assert.is(exportPrefix({ Q: `say "it's"` }), `export Q='say "it'\\''s"'; `);
});

test('exportPrefix is empty without variables', () => {
  assert.is(exportPrefix({}), '');
});

test('envAssignments rejects a name the shell cannot set', () => {
  const error = kilnThrown(() => envAssignments({ 'BAD-NAME': '1' }));
  assert.is(error.code, 'E_SSH');
  assert.match(error.message, 'BAD-NAME');
});

test('exported values arrive intact in /bin/sh', () => {
  const env = { A: '1', B: 'x y', C: `it's "quoted" $HOME`, D: '' };
  const script = `${exportPrefix(env)}printf '%s|' "$A" "$B" "$C" "$D"`;
  const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: {} });
  assert.is(out, `1|x y|it's "quoted" $HOME||`);
});

test.run();
