// Variables: Packer's precedence (default < PKR_VAR_ < *.auto.pkrvars.hcl < -var-file <
// -var), type conversion of text values, validation, missing and undeclared values,
// and sensitive values kept out of messages.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadHcl2 } from '../../../lib/packer/hcl2/load-hcl2.js';
import { scratch } from '../../helpers/scratch-dir.js';
import { issueMatching, issuesOf, loadFiles, NULL_BUILD, removeScratch } from './load.js';

const DECLARE = `variable "size" {\n  type    = string\n  default = "from-default"\n}\n${NULL_BUILD}`;

interface PrecedenceCase {
  name: string;
  env?: Record<string, string>;
  auto?: Record<string, string>;
  varFiles?: string[];
  vars?: [string, string][];
  expect: string;
}

const precedence: PrecedenceCase[] = [
  { name: 'the default', expect: 'from-default' },
  { name: 'PKR_VAR_ over the default', env: { PKR_VAR_size: 'from-env' }, expect: 'from-env' },
  { name: 'an auto file over PKR_VAR_', env: { PKR_VAR_size: 'from-env' }, auto: { 'a.auto.pkrvars.hcl': 'size = "from-auto"\n' }, expect: 'from-auto' },
  { name: 'auto files in name order', auto: { 'b.auto.pkrvars.hcl': 'size = "b"\n', 'a.auto.pkrvars.hcl': 'size = "a"\n' }, expect: 'b' },
  { name: 'a -var-file over an auto file', auto: { 'a.auto.pkrvars.hcl': 'size = "from-auto"\n' }, varFiles: ['one.pkrvars.hcl'], expect: 'from-file-one' },
  { name: 'the later -var-file wins', varFiles: ['one.pkrvars.hcl', 'two.pkrvars.json'], expect: 'from-file-two' },
  { name: '-var over every file', env: { PKR_VAR_size: 'from-env' }, varFiles: ['one.pkrvars.hcl'], vars: [['size', 'from-cli']], expect: 'from-cli' },
  { name: 'the later -var wins', vars: [['size', 'first'], ['size', 'second']], expect: 'second' },
];

const VAR_FILES = { 'vars/one.pkrvars.hcl': 'size = "from-file-one"\n', 'vars/two.pkrvars.json': '{ "size": "from-file-two" }\n' };

for (const c of precedence) {
  test(`precedence: ${c.name}`, async () => {
    const files = { 'template/main.pkr.hcl': DECLARE, ...VAR_FILES, ...Object.fromEntries(Object.entries(c.auto ?? {}).map(([name, text]) => [`template/${name}`, text])) };
    const dir = await scratch(files);
    const template = await loadHcl2(join(dir, 'template'), { vars: c.vars ?? [], varFiles: (c.varFiles ?? []).map((f) => join(dir, 'vars', f)), only: [], except: [], env: c.env ?? {} });
    assert.equal(template.variables.find((v) => v.name === 'size')?.value, c.expect);
  });
}

test('text from PKR_VAR_ and -var is HCL for typed variables (declared or from the default) and a string otherwise', async () => {
  const template = await loadFiles(
    {
      'main.pkr.hcl': [
        'variable "cpus" { type = number }',
        'variable "disks" { type = list(number) }',
        'variable "tags" { type = map(string) }',
        'variable "headless" { type = bool }',
        'variable "label" { type = string }',
        'variable "anything" {}',
        'variable "inferred_number" {\n  default = 1\n}',
        'variable "inferred_list" {\n  default = []\n}',
        NULL_BUILD,
      ].join('\n'),
    },
    { env: { PKR_VAR_cpus: '4', PKR_VAR_disks: '[10, 20]', PKR_VAR_label: '[not a list]', PKR_VAR_anything: '{ a = 1 }', PKR_VAR_inferred_number: '3' }, vars: [['tags', '{ role = "web" }'], ['headless', 'false'], ['inferred_list', '["a", 2]']] },
  );
  const values = Object.fromEntries(template.variables.map((v) => [v.name, v.value]));
  assert.equal(values, { cpus: 4, disks: [10, 20], tags: { role: 'web' }, headless: false, label: '[not a list]', anything: '{ a = 1 }', inferred_number: 3, inferred_list: ['a', 2] });
});

test('a var file value and a default are converted to the declared type', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': `variable "cpus" {\n  type = string\n  default = 2\n}\nvariable "n" { type = number }\n${NULL_BUILD}`, 'x.auto.pkrvars.hcl': 'n = "8"\n' });
  assert.equal(template.variables.map((v) => v.value), ['2', 8]);
});

test('legacy variables blocks, nullable = false and env() in a default', async () => {
  const template = await loadFiles(
    {
      'main.pkr.hcl': [
        'variables {',
        '  mirror = "http://deb.debian.org"',
        '}',
        'variable "proxy" {',
        '  type    = string',
        '  default = env("http_proxy")',
        '}',
        'variable "user" {',
        '  type     = string',
        '  default  = "vagrant"',
        '  nullable = false',
        '}',
        NULL_BUILD,
      ].join('\n'),
    },
    { env: { http_proxy: 'http://proxy:3128' }, vars: [['user', 'null']] },
  );
  assert.equal(Object.fromEntries(template.variables.map((v) => [v.name, v.value])), { proxy: 'http://proxy:3128', user: 'null', mirror: 'http://deb.debian.org' });
});

interface ErrorCase {
  name: string;
  template: string;
  files?: Record<string, string>;
  vars?: [string, string][];
  varFiles?: string[];
  env?: Record<string, string>;
  message: RegExp;
  /** [line, column] in main.pkr.hcl (or `file`), or undefined for a command-line problem. */
  at?: [number, number];
  file?: string;
}

const errors: ErrorCase[] = [
  { name: 'no value', template: 'variable "iso_url" {\n  type = string\n}\n', message: /^variable "iso_url" has no value: give it one with -var 'iso_url=\.\.\.', in a -var-file, or with the environment variable PKR_VAR_iso_url$/, at: [1, 1] },
  { name: 'a failed validation, at the condition, with its message', template: 'variable "arch" {\n  default = "sparc"\n  validation {\n    condition     = contains(["x86_64", "aarch64"], var.arch)\n    error_message = "arch must be x86_64 or aarch64."\n  }\n}\n', message: /^variable "arch": arch must be x86_64 or aarch64\.$/, at: [4, 21] },
  { name: 'a validation that is not a bool', template: 'variable "arch" {\n  default = "x"\n  validation {\n    condition     = var.arch\n    error_message = "no"\n  }\n}\n', message: /validation condition must be true or false/, at: [4, 21] },
  { name: 'undeclared -var, with did-you-mean', template: 'variable "memory" {\n  default = 1\n}\n', vars: [['memroy', '2']], message: /^-var memroy: there is no variable "memroy" in the template: did you mean "memory"\?$/ },
  { name: 'a -var that is not of the type', template: 'variable "cpus" {\n  type = number\n}\n', vars: [['cpus', 'four']], message: /^-var cpus: cannot read the value as number/ },
  { name: 'a PKR_VAR_ list that is not a list', template: 'variable "disks" {\n  type = list(string)\n}\n', env: { PKR_VAR_disks: '"one"' }, message: /^PKR_VAR_disks: variable "disks": a list of string is required, got a string$/ },
  { name: 'a default of the wrong type', template: 'variable "cpus" {\n  type    = number\n  default = "many"\n}\n', message: /^the default of variable "cpus" is not number/, at: [3, 13] },
  { name: 'a default that refers to a variable', template: 'variable "a" {\n  default = "x"\n}\nvariable "b" {\n  default = var.a\n}\n', message: /^the default of variable "b" must be a fixed value; it cannot refer to var$/, at: [5, 13] },
  { name: 'an unknown attribute in a variable', template: 'variable "a" {\n  defualt = "x"\n}\n', message: /^unknown attribute "defualt" in variable "a": did you mean "default"\?$/, at: [2, 3] },
  { name: 'a variable declared twice', template: 'variable "a" {\n  default = 1\n}\nvariable "a" {\n  default = 2\n}\n', message: /^variable "a" is declared twice \(first at .*main\.pkr\.hcl:1:1\)$/, at: [4, 1] },
  { name: 'a null for nullable = false without a default', template: 'variable "a" {\n  nullable = false\n}\n', files: { 'x.auto.pkrvars.hcl': 'a = null\n' }, message: /^variable "a" is null, but it is declared with nullable = false$/, at: [1, 1], file: 'x.auto.pkrvars.hcl' },
  { name: 'a block in a var file', template: 'variable "a" {\n  default = 1\n}\n', files: { 'x.auto.pkrvars.hcl': 'a = 2\nlocals {\n}\n' }, message: /^locals: a variable file holds only "name = value" lines, not blocks$/, at: [2, 1], file: 'x.auto.pkrvars.hcl' },
];

for (const c of errors) {
  test(`error: ${c.name}`, async () => {
    const issues = await issuesOf({ 'main.pkr.hcl': c.template + NULL_BUILD, ...c.files }, { vars: c.vars ?? [], env: c.env ?? {} });
    const issue = issueMatching(issues, c.message);
    if (c.at === undefined) assert.equal([issue.line, issue.column], [undefined, undefined]);
    else {
      assert.equal([issue.line, issue.column], c.at);
      assert.ok(issue.file?.endsWith(`/${c.file ?? 'main.pkr.hcl'}`), issue.file);
    }
  });
}

test('a var file naming an undeclared variable is a note, not an error', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': `variable "memory" {\n  default = 1\n}\n${NULL_BUILD}`, 'x.auto.pkrvars.hcl': 'memory = 2\nmemroy = 3\n' });
  assert.equal(template.variables[0]?.value, 2);
  const note = template.notes.find((n) => n.pos.file.endsWith('x.auto.pkrvars.hcl'));
  assert.equal(note?.pos.line, 2);
  assert.match(note?.message ?? '', /^x\.auto\.pkrvars\.hcl sets "memroy", which the template does not declare; the value is ignored: did you mean "memory"\?$/);
});

test('every problem is reported at once, and a sensitive value never appears in one', async () => {
  const template = [
    'variable "password" {',
    '  type      = string',
    '  sensitive = true',
    '  validation {',
    '    condition     = length(var.password) > 20',
    '    error_message = "password ${var.password} is too short."',
    '  }',
    '}',
    'variable "missing" {}',
    NULL_BUILD,
  ].join('\n');
  const issues = await issuesOf({ 'main.pkr.hcl': template }, { vars: [['password', 'hunter2-secret'], ['nope', '1']] });
  assert.equal(issues.length, 3, JSON.stringify(issues));
  assert.ok(issues.every((issue) => !issue.message.includes('hunter2-secret')), JSON.stringify(issues));
  issueMatching(issues, /^variable "password": password <sensitive> is too short\.$/);
});

test.after.each(removeScratch);
test.run();
