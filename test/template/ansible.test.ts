// The ansible provisioner in a kiln.yaml: what it resolves to, and each problem it can have.
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { issuesOf, lines, load, MINIMAL, removeScratch } from './scratch.js';

test.after(removeScratch);

const FILES = { 'ansible/site.yml': '- hosts: all\n', 'ansible/k8s.yml': '', 'requirements.yml': '', 'roles/': '' };

test('defaults: one playbook as a list, alias default, no groups, ansible-playbook', async () => {
  const t = await load(MINIMAL + lines('provision:', '  - ansible: { playbook_file: ansible/site.yml }'), { files: FILES });
  const dir = dirname(t.file);
  assert.equal(t.provision, [
    {
      type: 'ansible',
      playbook_files: [join(dir, 'ansible/site.yml')],
      host_alias: 'default',
      groups: [],
      become: false,
      extra_arguments: [],
      extra_vars: {},
      ansible_env_vars: {},
      command: 'ansible-playbook',
      pause_before_ms: 0,
      max_retries: 0,
    },
  ]);
});

test('every option, paths resolved against the template', async () => {
  const t = await load(
    MINIMAL +
      lines(
        'provision:',
        '  - ansible:',
        '      playbook_file: [ansible/site.yml, ansible/k8s.yml]',
        '      host_alias: node-1',
        '      groups: [k8s, debian]',
        '      user: builder',
        '      become: true',
        '      extra_arguments: [--tags, base, -v]',
        '      extra_vars: { k8s_version: 1.30, debug: true }',
        '      ansible_env_vars: { ANSIBLE_STDOUT_CALLBACK: yaml }',
        '      galaxy_file: requirements.yml',
        '      roles_path: roles',
        '      command: /usr/local/bin/ansible-playbook',
        '      pause_before: 5s',
        '      max_retries: 2',
        '      timeout: 30m',
        '      cache: false',
      ),
    { files: FILES },
  );
  const dir = dirname(t.file);
  assert.equal(t.provision[0], {
    type: 'ansible',
    playbook_files: [join(dir, 'ansible/site.yml'), join(dir, 'ansible/k8s.yml')],
    host_alias: 'node-1',
    groups: ['k8s', 'debian'],
    user: 'builder',
    become: true,
    extra_arguments: ['--tags', 'base', '-v'],
    extra_vars: { k8s_version: '1.3', debug: 'true' },
    ansible_env_vars: { ANSIBLE_STDOUT_CALLBACK: 'yaml' },
    galaxy_file: join(dir, 'requirements.yml'),
    roles_path: join(dir, 'roles'),
    command: '/usr/local/bin/ansible-playbook',
    pause_before_ms: 5000,
    max_retries: 2,
    timeout_ms: 1_800_000,
    cache: false,
  });
});

test('ansible-local: defaults and folders resolved against the template', async () => {
  const t = await load(
    MINIMAL + lines('provision:', '  - ansible-local:', '      playbook_file: ansible/site.yml', '      playbook_dir: ansible', '      role_paths: [roles]', '      inventory_groups: [web]', '      staging_directory: /tmp/ansible'),
    { files: FILES },
  );
  const dir = dirname(t.file);
  assert.equal(t.provision[0], {
    type: 'ansible-local',
    playbook_files: [join(dir, 'ansible/site.yml')],
    playbook_dir: join(dir, 'ansible'),
    role_paths: [join(dir, 'roles')],
    inventory_groups: ['web'],
    extra_arguments: [],
    extra_vars: {},
    command: 'ansible-playbook',
    staging_directory: '/tmp/ansible',
    clean_staging_directory: true,
    pause_before_ms: 0,
    max_retries: 0,
  });
});

const cases: [string, string[], string, RegExp][] = [
  ['no playbook', ['  - ansible: { become: true }'], 'provision[0].ansible', /missing required key "playbook_file"/],
  ['a missing playbook', ['  - ansible: { playbook_file: ansible/nope.yml }'], 'provision[0].ansible.playbook_file', /nope\.yml does not exist/],
  ['a missing one in the list', ['  - ansible: { playbook_file: [ansible/site.yml, x.yml] }'], 'provision[0].ansible.playbook_file[1]', /x\.yml does not exist/],
  ['an empty list', ['  - ansible: { playbook_file: [] }'], 'provision[0].ansible.playbook_file', /no playbooks/],
  ['a missing galaxy file', ['  - ansible: { playbook_file: ansible/site.yml, galaxy_file: req.yml }'], 'provision[0].ansible.galaxy_file', /req\.yml does not exist/],
  ['roles_path a file', ['  - ansible: { playbook_file: ansible/site.yml, roles_path: requirements.yml }'], 'provision[0].ansible.roles_path', /is not a directory/],
  ['a bad group', ['  - ansible: { playbook_file: ansible/site.yml, groups: [k8s-nodes] }'], 'provision[0].ansible.groups[0]', /"k8s-nodes" is not valid here: expected a group name/],
  ['a bad env name', ['  - ansible: { playbook_file: ansible/site.yml, ansible_env_vars: { 1A: x } }'], 'provision[0].ansible.ansible_env_vars["1A"]', /not a valid environment variable name/],
  ['a bad extra var name', ['  - ansible: { playbook_file: ansible/site.yml, extra_vars: { my-var: x } }'], 'provision[0].ansible.extra_vars.my-var', /not a valid Ansible variable name/],
  ['a bad timeout', ['  - ansible: { playbook_file: ansible/site.yml, timeout: soon }'], 'provision[0].ansible.timeout', /"soon" is not a duration/],
  ['a typo', ['  - ansible: { playbook_file: ansible/site.yml, extra_argument: [] }'], 'provision[0].ansible.extra_argument', /did you mean "extra_arguments"\?/],
  ['ansible-local: a missing role folder', ['  - ansible-local: { playbook_file: ansible/site.yml, role_paths: [roles, nope] }'], 'provision[0].ansible-local.role_paths[1]', /nope does not exist/],
  ['ansible-local: group_vars a file', ['  - ansible-local: { playbook_file: ansible/site.yml, group_vars: requirements.yml }'], 'provision[0].ansible-local.group_vars', /is not a directory/],
  ['ansible-local: a relative staging folder', ['  - ansible-local: { playbook_file: ansible/site.yml, staging_directory: tmp/x }'], 'provision[0].ansible-local.staging_directory', /give an absolute folder in the guest other than \//],
  ['ansible-local: staging in /', ['  - ansible-local: { playbook_file: ansible/site.yml, staging_directory: / }'], 'provision[0].ansible-local.staging_directory', /other than \//],
  ['ansible and shell in one item', ['  - ansible: { playbook_file: ansible/site.yml }', '    shell: { inline: [x] }'], 'provision[0]', /exactly one of shell, file, ansible/],
];
for (const [name, body, path, message] of cases) {
  test(`problem: ${name}`, async () => {
    const issues = await issuesOf(MINIMAL + lines('provision:', ...body), { files: FILES });
    assert.ok(issues.some((i) => i.path === path && message.test(i.message)), issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  });
}

test.run();
