// The Go template subset of Packer JSON templates: each function, pipelines, literals,
// build-time fields left as written, and problems with the offset of what is at fault.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FunctionError } from '../../../lib/packer/hcl/functions/function-types.js';
import { goReplace, type TemplateScope } from '../../../lib/packer/legacy-json/template-functions.js';
import { renderTemplate, userReferences } from '../../../lib/packer/legacy-json/template-evaluator.js';

// 2026-03-04T05:06:07.089Z, a Wednesday, day 63 of the year.
const NOW = new Date(Date.UTC(2026, 2, 4, 5, 6, 7, 89));
const VARIABLES: Record<string, string> = { os: 'Ubuntu', version: 'v1.30.2', rpm: '1.30.2-150500.1.1', empty: '', boot: 'http://{{ .HTTPIP }}:{{ .HTTPPort }}/' };

function scope(extra: Partial<TemplateScope> = {}): TemplateScope {
  return {
    user: (name) => {
      if (name === 'unordered') throw new FunctionError('read before it has a value');
      return Object.hasOwn(VARIABLES, name) ? VARIABLES[name] : undefined;
    },
    build: { name: 'ubuntu-2204', type: 'qemu' },
    templateDir: '/srv/images/packer',
    cwd: '/srv/images',
    now: NOW,
    uuid: () => '6f1c1d2e-0000-4000-8000-000000000001',
    ...extra,
  };
}

const render = (text: string, extra: Partial<TemplateScope> = {}) => renderTemplate(text, scope(extra));

const EVALUATED: [string, string][] = [
  ['plain text, no actions', 'plain text, no actions'],
  ['{{user `os`}}', 'Ubuntu'],
  ['{{ user "os" }}', 'Ubuntu'],
  ['{{user `empty`}}x', 'x'],
  ['a-{{user `os`}}-b-{{ user `version` }}', 'a-Ubuntu-b-v1.30.2'],
  ['{{ user `os` | lower }}', 'ubuntu'],
  ['{{ user `os` | upper }}', 'UBUNTU'],
  ['{{ lower (user `os`) }}', 'ubuntu'],
  ['{{ lower "MiXeD" }}', 'mixed'],
  ['{{ user `version` | replace "v" "" 1 }}', '1.30.2'],
  ['{{ replace "a" "b" 1 "aaa" }}', 'baa'],
  ['{{ replace "a" "b" -1 "aaa" }}', 'bbb'],
  ['{{ replace "a" "b" 0 "aaa" }}', 'aaa'],
  ['{{ replace_all "-" "/" "foo-bar-provider" }}', 'foo/bar/provider'],
  ['{{ split "a-b-c" "-" 0 }}', 'a'],
  ['{{ split "a-b-c" "-" 2 }}', 'c'],
  ['{{ split (user `rpm`) "-" 0 }}', '1.30.2'],
  ['{{ split build_name "-" 1 }}', '2204'],
  ['{{ build_name | replace_all "-" "_" }}', 'ubuntu_2204'],
  ['{{build_name}}/{{build_type}}', 'ubuntu-2204/qemu'],
  ['{{ template_dir }}/http', '/srv/images/packer/http'],
  ['{{pwd}}', '/srv/images'],
  ['{{timestamp}}', String(Math.floor(NOW.getTime() / 1000))],
  ['{{isotime}}', '2026-03-04T05:06:07Z'],
  ['{{isotime "2006-01-02"}}', '2026-03-04'],
  ['{{ isotime `Jan-_2-15:04:05.000` }}', 'Mar- 4-05:06:07.089'],
  ['{{ isotime `Monday January 2 3:04PM MST -0700 Z07:00 002 06` }}', 'Wednesday March 4 5:06AM UTC +0000 Z 063 26'],
  ['{{ isotime `20060102_150405.999` }}', '20260304_050607.089'],
  ['{{ uuid }}', '6f1c1d2e-0000-4000-8000-000000000001'],
  ['{{ "{{" }}', '{{ "{{" }}'],
  ['{{ `double "quotes" in raw` }}', 'double "quotes" in raw'],
  ['{{ "tab\\there" }}', 'tab\there'],
  ['{{ 42 }}', '42'],
  ['{{/* a comment */}}done', 'done'],
  ['a  {{- user `os` -}}  b', 'aUbuntub'],
  ['a  {{user `os`}}  b', 'a  Ubuntu  b'],
];

test('functions, literals and pipelines evaluate as Packer evaluates them', () => {
  for (const [text, expected] of EVALUATED) {
    const out = render(text);
    assert.equal(out.problems, [], text);
    assert.is(out.text, expected, text);
  }
});

const LEFT_AS_WRITTEN = [
  'http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg',
  '{{.Vars}} sudo -E -S bash \'{{.Path}}\'',
  '{{ .Name }}',
  '{{ .Provider }}/{{ .BuildName }}',
  '{{ .OutputDir }}',
  '{{ .Some.Nested }}',
  '{{ build `Host` }}',
  '{{ build "SSHPrivateKey" }}',
  '{{ .Name | lower }}',
  '{{- .HTTPIP -}}',
];

test('build-time fields and build are left exactly as written, around evaluated actions', () => {
  for (const text of LEFT_AS_WRITTEN) {
    const out = render(text);
    assert.equal(out.problems, [], text);
    assert.is(out.text, text, text);
  }
  assert.is(render('{{user `os`}}: {{ .HTTPIP }} {{ lower "X" }}').text, 'Ubuntu: {{ .HTTPIP }} x');
  // A variable's value is template text: its build-time fields reach the build, as in Packer.
  assert.is(render('{{user `boot`}}ks.cfg').text, 'http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg');
});

const PROBLEMS: [string, number, RegExp][] = [
  ['x {{ lowr "A" }}', 5, /unknown function "lowr": did you mean "lower"\?/],
  ['{{ usr `os` }}', 3, /unknown function "usr": did you mean "user"\?/],
  ['{{ frobnicate }}', 3, /^unknown function "frobnicate"$/],
  ['{{ vault `secret/x` `k` }}', 3, /"vault" is not supported: kiln does not read Vault/],
  ['{{ clean_resource_name "x" }}', 3, /cloud builders/],
  ['{{ env `HOME` }}', 3, /env is only allowed in the default of a variable.*\{\{user `home`\}\}/],
  ['abc {{ user `os` ', 4, /unclosed "\{\{"/],
  ['{{ user `os }}', 0, /unterminated raw string/],
  ['{{ user \'os\' }}', 8, /single quotes make a Go character constant/],
  ['{{ if user `os` }}x', 3, /control structures/],
  ['{{ $x := 1 }}', 3, /template variables/],
  ['{{ split "a-b" "-" 5 }}', 3, /split: index 5 is out of range: .* 2 parts \(0 to 1\)/],
  ['{{ split "a-b" "-" "0" }}', 3, /argument 3 must be a whole number, got a string/],
  ['{{ replace "a" "b" "aaa" }}', 3, /replace takes 4 arguments/],
  ['{{ lower 3 }}', 3, /lower: argument 1 must be a string, got the number 3/],
  ['{{ user `unordered` }}', 3, /read before it has a value/],
  ['{{ "a" "b" }}', 3, /only a function can take arguments/],
  ['{{ user `os` | }}', 13, /missing value in the pipeline/],
  ['{{ lower (user `os` }}', 9, /unclosed "\("/],
  ['{{ isotime "a" "b" }}', 3, /isotime takes at most one argument/],
];

test('problems come with the offset of the action or operand at fault, and the action stays as written', () => {
  for (const [text, offset, message] of PROBLEMS) {
    const out = render(text);
    assert.is(out.problems.length, 1, text);
    assert.is(out.problems[0]!.offset, offset, text);
    assert.match(out.problems[0]!.message, message, text);
  }
  const out = render('{{ lowr `a` }} and {{ uper `b` }} and {{ user `os` }}');
  assert.equal(out.problems.map((p) => p.offset), [3, 22]);
  assert.is(out.text, '{{ lowr `a` }} and {{ uper `b` }} and Ubuntu');
});

test('a variable nothing defines reads as empty, and the read is reported with its offset', () => {
  const out = render('a{{ user `nope` }}b{{ user `os` }}{{ lower (user `gone`) }}');
  assert.equal(out.problems, []);
  assert.is(out.text, 'abUbuntu');
  assert.equal(out.undefinedReads, [{ name: 'nope', offset: 4 }, { name: 'gone', offset: 44 }]);
});

test('build_name and build_type are unknown in variables; env is known there', () => {
  const variables = { build: undefined, env: { HOME: '/home/u' } };
  assert.is(render('{{env `HOME`}}/{{ env `UNSET` }}x', variables).text, '/home/u/x');
  assert.match(render('{{ build_name }}', variables).problems[0]!.message, /only known inside a builder/);
});

test('goReplace follows strings.Replace, including an empty old string', () => {
  const cases: [string, string, string, number, string][] = [
    ['banana', 'a', 'o', 2, 'bonona'],
    ['banana', 'na', '', -1, 'ba'],
    ['abc', '', '-', -1, '-a-b-c-'],
    ['abc', '', '-', 2, '-a-bc'],
    ['abc', 'x', 'y', -1, 'abc'],
    ['aaa', 'a', 'a', -1, 'aaa'],
  ];
  for (const [text, old, replacement, count, expected] of cases) assert.is(goReplace(text, old, replacement, count), expected, `${text} ${old} ${count}`);
});

test('userReferences lists the variables a string reads, for dependency order', () => {
  assert.equal(
    userReferences('{{user `a`}}-{{ user "b" | lower }}-{{ split (user `c`) "-" 0 }}-{{ `d` | user }}-{{ .HTTPIP }}').map((r) => r.name),
    ['a', 'b', 'c', 'd'],
  );
  assert.equal(userReferences('{{ user `a` '), []);
});

test.run();
