// The ansible provisioner's stage key: the playbook folder's files (roles, group_vars,
// ansible.cfg), the requirements file and the options that decide what runs.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainMiss } from '../../lib/cache/explain.js';
import { stageDefinitions, type StageDefinition } from '../../lib/cache/stage-inputs.js';
import { loadTemplate } from '../../lib/template/load.js';
import { put, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const SOURCE = `sha256:${'a'.repeat(64)}`;

const template = (ansible: string) => `name: keys
source: { iso: { url: x.iso, checksum: "${SOURCE}" } }
ssh: { username: kiln }
provision:
  - shell: { inline: ["true"] }
  - ansible: { ${ansible} }
output: { directory: out }
`;

const FILES = {
  'x.iso': '',
  'ansible/site.yml': '- hosts: all\n  roles: [base]\n',
  'ansible/roles/base/tasks/main.yml': '- ansible.builtin.raw: true\n',
  'ansible/group_vars/all.yml': 'a: 1\n',
  'requirements.yml': 'roles: []\n',
};
const OPTIONS = 'playbook_file: ansible/site.yml, galaxy_file: requirements.yml, extra_vars: { v: 1 }';

async function stages(dir: string, ansible = OPTIONS): Promise<StageDefinition[]> {
  await put(dir, { 'kiln.yaml': template(ansible) });
  return stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
}

const changes: [string, Record<string, string>, string, string][] = [
  ['a role\'s task file', { 'ansible/roles/base/tasks/main.yml': '- ansible.builtin.raw: false\n' }, OPTIONS, 'ansible ansible/roles/base/tasks/main.yml changed'],
  ['a new group_vars file', { 'ansible/group_vars/web.yml': 'b: 2\n' }, OPTIONS, 'ansible ansible/group_vars/web.yml added'],
  ['ansible.cfg', { 'ansible/ansible.cfg': '[defaults]\n' }, OPTIONS, 'ansible ansible/ansible.cfg added'],
  ['the requirements file', { 'requirements.yml': 'roles: [x]\n' }, OPTIONS, 'ansible requirements.yml changed'],
  ['an extra var', {}, OPTIONS.replace('v: 1', 'v: 2'), 'extra_vars changed'],
  ['become', {}, `${OPTIONS}, become: true`, 'options changed'],
];
for (const [what, files, options, explained] of changes) {
  test(`${what} changes the ansible stage's key, and the miss says so`, async () => {
    const dir = await scratch(FILES);
    const before = await stages(dir);
    await put(dir, files);
    const after = await stages(dir, options);
    assert.is(after[1]!.inputs.type, before[1]!.inputs.type);
    assert.equal(after[1]!.inputs, before[1]!.inputs, 'the shell stage before it keeps its key');
    assert.is.not(JSON.stringify(after[2]!.inputs), JSON.stringify(before[2]!.inputs));
    assert.match(explainMiss('provision[1]', after[2]!.inputs, before[2]!.inputs), explained);
  });
}

test('pause_before, max_retries and timeout do not change the key; the build\'s output beside the playbook is no input', async () => {
  const dir = await scratch({ ...FILES, 'site.yml': '- hosts: all\n' });
  const before = await stages(dir, 'playbook_file: site.yml');
  await put(dir, { 'out/keys.qcow2': 'an image' });
  const after = await stages(dir, 'playbook_file: site.yml, pause_before: 5s, max_retries: 3, timeout: 1h');
  assert.equal(after[2]!.inputs, before[2]!.inputs);
  assert.ok(Object.keys(after[2]!.inputs).some((k) => k === 'ansible site.yml'));
});

test('ansible-local keys on what it uploads: a role folder\'s file', async () => {
  const dir = await scratch(FILES);
  await put(dir, { 'kiln.yaml': template('playbook_file: ansible/site.yml, role_paths: [ansible/roles/base]').replace('- ansible:', '- ansible-local:') });
  const before = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
  await put(dir, { 'ansible/roles/base/tasks/main.yml': 'changed\n' });
  const after = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
  assert.is(explainMiss('provision[1]', after[2]!.inputs, before[2]!.inputs), 'provision[1]: ansible-local ansible/roles/base/tasks/main.yml changed');
});

test.run();
