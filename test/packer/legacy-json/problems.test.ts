// What a JSON template gets wrong is reported all at once, each problem at its
// file:line:col with what to do; secrets never reach a message.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError, type Issue } from '../../../lib/errors.js';
import { loadLegacyJson } from '../../../lib/packer/legacy-json/load-legacy-json.js';
import { isLegacyPackerJson } from '../../../lib/packer/detect.js';
import type { PackerInputs, PackerTemplate } from '../../../lib/packer/model.js';
import { rejection } from '../../helpers/rejection.js';
import { removeScratch, scratch } from '../../helpers/scratch-dir.js';
import { at } from './text-position.js';

test.after(removeScratch);

const lines = (...text: string[]) => `${text.join('\n')}\n`;

async function loadText(text: string, inputs: Partial<PackerInputs> = {}, files: Record<string, string> = {}): Promise<PackerTemplate> {
  const dir = await scratch({ 'packer.json': text, ...files }, 'kiln-legacy-');
  return loadLegacyJson(join(dir, 'packer.json'), {
    vars: [],
    only: [],
    except: [],
    env: {},
    ...inputs,
    varFiles: (inputs.varFiles ?? []).map((f) => join(dir, f)),
  });
}

async function issuesOf(text: string, inputs: Partial<PackerInputs> = {}, files: Record<string, string> = {}): Promise<Issue[]> {
  const error = await rejection(loadText(text, inputs, files), 'the template loaded without problems');
  if (!(error instanceof ValidationError)) throw error;
  return error.issues;
}

/** Issues as "line:col message" (file name dropped where it is the template). */
const brief = (issues: Issue[]) => issues.map((i) => `${i.file?.endsWith('packer.json') ? '' : `${i.file?.split('/').pop() ?? '-'} `}${i.line ?? '-'}:${i.column ?? '-'} ${i.message}`);
const where = (text: string, needle: string, after?: string) => {
  const { line, column } = at(text, needle, after);
  return `${line}:${column}`;
};

const BROKEN = lines(
  '{',
  '  "variables": {',
  '    "iso": null,',
  '    "a": "{{user `b`}}",',
  '    "b": "x{{user `a`}}",',
  '    "mirror": "{{user `mirorr`}}",',
  '    "list": ["no"]',
  '  },',
  '  "sensitive-variables": ["pasword"],',
  '  "bulders": [],',
  '  "builders": [',
  '    { "type": "qemu", "vm_name": "{{ lowr `X` }}", "http_directory": "{{env `HOME`}}" },',
  '    { "type": "qemu", "format": "qcow2" },',
  '    { "name": "" }',
  '  ],',
  '  "provisioners": [',
  '    { "type": "shell", "only": ["qemu-efi"], "except": ["qemu"] },',
  '    { "type": "shell", "override": { "virtualbox-iso": {} } },',
  '    { "inline": ["no type"] }',
  '  ],',
  '  "post-processors": [[{ "type": "vagrant", "only": ["qemuu"] }], 42]',
  '}',
);

test('every problem at once, each at its line and column, with the fix', async () => {
  const found = brief(await issuesOf(BROKEN, { varFiles: ['vars.json'] }, { 'vars.json': lines('{', '  "password": "s3cret",', '  "cpus": 2', '}') }));
  const expected = [
    `${where(BROKEN, '"iso"')} variable "iso" is required (its default is null) and was not set: give it with -var iso=... or in a -var-file`,
    `${where(BROKEN, '{{user `b`}}')} variables read each other in a cycle: a -> b -> a; give one of them a value that does not read the others`,
    `${where(BROKEN, '["no"]')} variable "list": a default must be a string (or null for a variable that must be set), got a list`,
    `${where(BROKEN, '"pasword"')} "pasword" is not a variable: did you mean "password"? (a misspelt name here would leave a secret unmasked)`,
    `${where(BROKEN, '"bulders"')} unknown top-level key "bulders": did you mean "builders"? (a Packer JSON template has builders, provisioners, post-processors, variables, sensitive-variables, description, min_packer_version, error-cleanup-provisioner; keys starting with "_" are comments)`,
    `${where(BROKEN, 'lowr')} unknown function "lowr": did you mean "lower"?`,
    `${where(BROKEN, 'env `HOME`')} env is only allowed in the default of a variable (as in Packer): declare a variable such as "home": "{{env \`HOME\`}}" and write {{user \`home\`}} here`,
    `${where(BROKEN, '{ "type": "qemu", "format"')} two builders are named "qemu" (the other is builders[0]): give each a different "name"`,
    `${where(BROKEN, '{ "name": ""')} a builder needs a "type" naming its plugin, like "type": "qemu"`,
    `${where(BROKEN, '"qemu-efi"')} "qemu-efi" is not a builder of this template (builders: qemu)`,
    `${where(BROKEN, '"except"')} give "only" or "except", not both`,
    `${where(BROKEN, '"virtualbox-iso"')} "virtualbox-iso" is not a builder of this template (builders: qemu)`,
    `${where(BROKEN, '{ "inline"')} a provisioner needs a "type" naming its plugin, like "type": "shell"`,
    `${where(BROKEN, '"qemuu"')} "qemuu" is not a builder of this template: did you mean "qemu"? (builders: qemu)`,
    `${where(BROKEN, '42')} a post-processor must be an object with a "type", got a number`,
    'vars.json 3:11 variable "cpus" must be a string in a var file (Packer reads them as strings), got a number: quote it',
  ];
  assert.equal(found, expected);
});

test('the position inside a string is exact when it has no escapes, else the string\'s start', async () => {
  const text = lines('{', '  "builders": [{ "type": "qemu", "a": "ok {{ nope }}", "b": "\\"q\\" {{ nope }}" }]', '}');
  const issues = await issuesOf(text);
  assert.equal(brief(issues), [`${where(text, 'nope')} unknown function "nope"`, `${where(text, '"\\"q')} unknown function "nope"`]);
});

test('a sensitive value never reaches a message', async () => {
  // A variable named by another's value: the "not defined" messages would quote the secret.
  const text = lines(
    '{',
    '  "variables": { "token": null, "echo": "{{ user (user `token`) }}" },',
    '  "sensitive-variables": ["token"],',
    '  "builders": [{ "type": "qemu", "x": "{{ user (user `token`) }}" }]',
    '}',
  );
  const template = await loadText(text, { vars: [['token', 'hunter2-very-secret']] });
  const empty = 'variable "<sensitive>" is not defined, so {{user `<sensitive>`}} is empty (as in Packer) (declare it in "variables", or set it with -var or -var-file)';
  assert.equal(template.notes.map((n) => `${n.pos.line}:${n.pos.column} ${n.message}`), [`${where(text, 'user (user')} ${empty}`, `${where(text, 'user (user', '"builders"')} ${empty}`]);
  const broken = lines('{', '  "variables": { "token": null },', '  "sensitive-variables": ["token"],', '  "builders": [{ "type": "qemu", "x": "{{ lower 1 }}{{ split (user `token`) (user `token`) 9 }}" }]', '}');
  const issues = await issuesOf(broken, { vars: [['token', 'hunter2-very-secret']] });
  assert.ok(issues.length === 2);
  for (const issue of issues) assert.not.match(issue.message, /hunter2/);
});

test('-only and -except that match nothing name the builds there are', async () => {
  const text = lines('{', '  "builders": [{ "type": "qemu" }, { "type": "virtualbox-iso", "name": "vbox" }],', '  "post-processors": [{ "type": "shell-local", "name": "publish" }]', '}');
  assert.equal(brief(await issuesOf(text, { only: ['qemu-*', 'vbox'] })), ['- -:- -only "qemu-*" matches no build: the builds are: qemu, vbox']);
  assert.equal(brief(await issuesOf(text, { except: ['nothing'] })), [
    '- -:- -except "nothing" matches no build or named post-processor: the builds are: qemu, vbox; the named post-processors are: publish',
  ]);
  assert.equal(brief(await issuesOf(text, { only: ['qemu'], except: ['vbox'] })), ['- -:- give -only or -except, not both (as in Packer)']);
});

test('variables: -var over later var files over earlier ones over defaults; values are templates too', async () => {
  const text = lines(
    '{',
    '  "variables": { "a": "default", "b": "default", "c": "default", "d": "{{user `c`}}-d", "home": "{{env `HOME`}}" },',
    '  "builders": [{ "type": "qemu", "v": "{{user `a`}} {{user `b`}} {{user `c`}} {{user `d`}} {{user `home`}} {{user `extra`}}" }]',
    '}',
  );
  const template = await loadText(
    text,
    { varFiles: ['one.json', 'two.json'], vars: [['c', 'cli-{{user `b`}}']], env: { HOME: '/home/u' } },
    { 'one.json': '{ "a": "one", "b": "one" }', 'two.json': '{ "b": "two", "extra": "undeclared but set" }' },
  );
  assert.is(template.builds[0]!.source.settings.v!.value, 'one two cli-two cli-two-d /home/u undeclared but set');
  assert.equal(template.variables.map((v) => v.name), ['a', 'b', 'c', 'd', 'home', 'extra']);
});

test('a variable nothing defines reads as empty (as in Packer), with a note at each read', async () => {
  const text = lines(
    '{',
    '  "variables": { "mirror": "m", "url": "{{user `mirorr`}}/x" },',
    '  "builders": [{ "type": "qemu", "url": "{{user `url`}}", "other": "{{user `nothing_like_it`}}" }, { "type": "null" }]',
    '}',
  );
  const template = await loadText(text, { varFiles: ['vars.json'] }, { 'vars.json': '{ "set_to_null": null }' });
  assert.is(template.builds[0]!.source.settings.url!.value, '/x');
  assert.is(template.variables.find((v) => v.name === 'set_to_null')!.value, '');
  const fix = '(declare it in "variables", or set it with -var or -var-file)';
  assert.equal(template.notes.map((n) => `${n.pos.line}:${n.pos.column} ${n.message}`), [
    `${where(text, 'user `mirorr`')} variable "mirorr" is not defined, so {{user \`mirorr\`}} is empty (as in Packer): did you mean "mirror"? ${fix}`,
    `${where(text, 'user `nothing')} variable "nothing_like_it" is not defined, so {{user \`nothing_like_it\`}} is empty (as in Packer) ${fix}`,
  ]);
});

test('files that are not templates: a clear error, and the detector tells the formats apart', async () => {
  assert.match((await rejection(loadText('[1, 2]'))).message, /a Packer JSON template is an object with "builders"/);
  assert.match((await rejection(loadText('{ "builders": [ }'))).message, /packer\.json:1:\d+: JSON syntax error/);
  const cases: [unknown, boolean][] = [
    [{ builders: [] }, true],
    [{ builders: [{ type: 'qemu' }], variables: {} }, true],
    [{ name: 'kiln', source: {} }, false],
    [{ builders: {} }, false],
    [[{ builders: [] }], false],
    [null, false],
    ['builders', false],
  ];
  for (const [data, expected] of cases) assert.is(isLegacyPackerJson(data), expected, JSON.stringify(data));
});

test.run();
