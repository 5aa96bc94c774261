import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderPartial, renderPlaceholders, substituteVariables } from '../../lib/template/render.js';
import type { PlaceholderValues } from '../../lib/template/types.js';
import { kilnThrown } from '../helpers/rejection.js';

const values: PlaceholderValues = {
  HTTPIP: '10.0.2.2',
  HTTPPort: 8123,
  Name: 'debian-12',
  SSHPublicKey: 'ssh-ed25519 AAAA kiln',
  OutputDir: '/out/debian-12',
  CloudInitURL: 'http://10.0.2.2:8123/cidata/',
  HTTPProxy: 'http://10.0.2.2:3128',
  ProxyURL: 'http://10.0.2.2:40123',
};

const renders: [string, string][] = [
  ['url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>', 'url=http://10.0.2.2:8123/ks.cfg<enter>'],
  ['{{.Name}}/{{ .OutputDir }}', 'debian-12//out/debian-12'],
  ['key: {{ .SSHPublicKey }}', 'key: ssh-ed25519 AAAA kiln'],
  ['ds=nocloud;s={{ .CloudInitURL }}', 'ds=nocloud;s=http://10.0.2.2:8123/cidata/'],
  ['jinja: {{ "{{" }} v1.hostname }}', 'jinja: {{ v1.hostname }}'],
  ['no placeholders', 'no placeholders'],
  ['d-i mirror/http/proxy string {{ .ProxyURL }}', 'd-i mirror/http/proxy string http://10.0.2.2:40123'],
  ['proxy={{.ProxyURL}}/', 'proxy=http://10.0.2.2:40123/'],
];
for (const [text, want] of renders) {
  test(`renderPlaceholders(${JSON.stringify(text)})`, () => assert.is(renderPlaceholders(text, values), want));
}

const failures: [string, RegExp][] = [
  ['{{ .HTTPIp }}', /did you mean "\{\{ \.HTTPIP \}\}"/],
  ['{{ .ProxyUrl }}', /did you mean "\{\{ \.ProxyURL \}\}"/],
  ['{{ .HTTPIP', /unclosed/],
  ['{{ var `x` }}', /variable "x" in \{\{ var `x` \}\} was not substituted/],
];
for (const [text, message] of failures) {
  test(`renderPlaceholders(${JSON.stringify(text)}) throws E_TEMPLATE`, () => {
    const error = kilnThrown(() => renderPlaceholders(text, values));
    assert.is(error.code, 'E_TEMPLATE');
    assert.match(error.message, message);
    assert.ok(error.hint);
  });
}

test('renderPartial renders what it knows and refuses the rest', () => {
  assert.is(renderPartial('output/{{ .Name }}', { Name: 'x' }), 'output/x');
  assert.throws(() => renderPartial('{{ .HTTPIP }}', { Name: 'x' }), /has no value at this point/);
});

test('substituteVariables replaces variables only', () => {
  const lookup = (name: string) => ({ user: 'vagrant', empty: '' })[name];
  const s = substituteVariables('{{ var `user` }}@{{ .HTTPIP }} {{ user "empty" }}{{ "{{" }}', lookup);
  assert.is(s.text, 'vagrant@{{ .HTTPIP }} {{ "{{" }}');
  assert.equal(s.missing, []);
  assert.equal(s.problems, []);
  assert.equal(s.used.map((u) => [u.name, u.offset, u.value]), [
    ['user', 0, 'vagrant'],
    ['empty', 31, ''],
  ]);
  assert.is(s.whole, false);
});

test('substituteVariables reports missing variables and bad expressions at their {{', () => {
  const s = substituteVariables('a {{ var `nope` }} {{ .Bad }}', () => undefined);
  assert.is(s.text, 'a {{ var `nope` }} {{ .Bad }}');
  assert.equal(s.missing, [{ name: 'nope', offset: 2 }]);
  assert.equal(s.problems.map((p) => p.offset), [19]);
});

test('substituteVariables maps offsets back to the text as written', () => {
  const source = 'ab{{ var `v` }}cd';
  const s = substituteVariables(source, () => 'XYZ');
  assert.is(s.text, 'abXYZcd');
  assert.is(s.mapOffset(1), 1); // "b"
  assert.is(s.mapOffset(3), 2); // inside the value: its {{
  assert.is(s.mapOffset(5), source.indexOf('cd')); // "c"
  assert.is(s.mapOffset(6), source.indexOf('cd') + 1);
});

test('substituteVariables: an empty value maps to what follows it', () => {
  const source = '{{ var `v` }}<x>';
  const s = substituteVariables(source, () => '');
  assert.is(s.text, '<x>');
  assert.is(s.mapOffset(0), source.indexOf('<x>'));
});

test('whole marks a string that is exactly one variable', () => {
  assert.is(substituteVariables('{{ var `n` }}', () => '4').whole, true);
  assert.is(substituteVariables(' {{ var `n` }}', () => '4').whole, false);
  assert.is(substituteVariables('{{ var `n` }}', () => undefined).whole, false);
});

test.run();
