// What kiln hands ansible-playbook: arguments, environment, the inventory, and how it
// reads the output to name a failed task.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ansibleArgs, ansibleEnv, secretVarsJson, shownCommand } from '../../lib/provision/ansible/command.js';
import { inventoryYaml } from '../../lib/provision/ansible/inventory.js';
import { AnsibleOutputWatcher } from '../../lib/provision/ansible/output-watcher.js';
import { playbookFailure } from '../../lib/provision/ansible/run.js';
import type { AnsibleProvisioner } from '../../lib/template/types.js';
import { ANSIBLE_DEFAULTS } from '../../lib/template/normalise-provision.js';

const base: AnsibleProvisioner = {
  type: 'ansible',
  playbook_files: ['/t/ansible/site.yml'],
  ...ANSIBLE_DEFAULTS,
};
const build = { packer_build_name: 'deb', packer_builder_type: 'qemu' };

const argCases: [string, Partial<AnsibleProvisioner>, { secretVars?: string }, string[]][] = [
  ['defaults', {}, {}, ['/t/ansible/site.yml', '--inventory', '/w/inventory.yml', '--extra-vars', '{"packer_build_name":"deb","packer_builder_type":"qemu"}']],
  [
    'playbooks in order, extra_vars over the build vars, become, extra_arguments last',
    { playbook_files: ['/a.yml', '/b.yml'], extra_vars: { packer_build_name: 'mine', k8s: '1.30' }, become: true, extra_arguments: ['-v', '--tags', 'base'] },
    {},
    ['/a.yml', '/b.yml', '--inventory', '/w/inventory.yml', '--extra-vars', '{"packer_build_name":"mine","packer_builder_type":"qemu","k8s":"1.30"}', '--become', '-v', '--tags', 'base'],
  ],
  [
    'a password file is passed by name, never its content',
    {},
    { secretVars: '/w/login.json' },
    ['/t/ansible/site.yml', '--inventory', '/w/inventory.yml', '--extra-vars', '{"packer_build_name":"deb","packer_builder_type":"qemu"}', '--extra-vars', '@/w/login.json'],
  ],
];
for (const [name, options, files, expected] of argCases) {
  test(`args: ${name}`, () => {
    assert.equal(ansibleArgs({ ...base, ...options }, { inventory: '/w/inventory.yml', ...files }, build), expected);
  });
}

test('env: host key checks off, no colours; search paths put roles_path and galaxy installs first; the user\'s vars win', () => {
  const plain = ansibleEnv(base, { inventory: '/w/i.yml' });
  assert.equal(plain, { ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: 'True', ANSIBLE_RETRY_FILES_ENABLED: 'False' });
  const env = ansibleEnv(
    { ...base, roles_path: '/t/roles', ansible_env_vars: { ANSIBLE_NOCOLOR: 'False', ANSIBLE_STDOUT_CALLBACK: 'yaml' } },
    { inventory: '/w/i.yml', config: '/t/ansible/ansible.cfg', galaxyRoles: '/w/galaxy/roles', galaxyCollections: '/w/galaxy/collections' },
  );
  assert.is(env.ANSIBLE_CONFIG, '/t/ansible/ansible.cfg');
  assert.match(env.ANSIBLE_ROLES_PATH!, /^\/t\/roles:\/w\/galaxy\/roles:.*\/etc\/ansible\/roles$/);
  assert.match(env.ANSIBLE_COLLECTIONS_PATH!, /^\/w\/galaxy\/collections:.*\/usr\/share\/ansible\/collections$/);
  assert.is(env.ANSIBLE_NOCOLOR, 'False');
  assert.is(env.ANSIBLE_STDOUT_CALLBACK, 'yaml');
});

test('inventory: the guest under its alias at the forwarded port, in its groups; a key file, never a password', () => {
  const text = inventoryYaml({
    hostAlias: 'node',
    groups: ['k8s', 'debian'],
    connection: { host: '127.0.0.1', port: 40022, user: 'kiln', privateKeyFile: '/w/my key', password: 'hunter2' },
  });
  assert.not.ok(text.includes('hunter2'));
  assert.equal(parse(text), {
    all: {
      hosts: {
        node: {
          ansible_host: '127.0.0.1',
          ansible_port: 40022,
          ansible_user: 'kiln',
          ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o IdentitiesOnly=yes',
          ansible_ssh_private_key_file: '/w/my key',
        },
      },
      children: { k8s: { hosts: { node: null } }, debian: { hosts: { node: null } } },
    },
  });
  const byPassword = parse(inventoryYaml({ hostAlias: 'default', groups: [], connection: { host: '127.0.0.1', port: 1, user: 'u', password: 'p' } }));
  assert.equal(Object.keys(byPassword.all), ['hosts']);
  assert.not.ok('ansible_ssh_private_key_file' in byPassword.all.hosts.default);
});

test('secret vars: the login password, and the become password with become', () => {
  assert.equal(JSON.parse(secretVarsJson('p w', false)), { ansible_password: 'p w' });
  assert.equal(JSON.parse(secretVarsJson('p w', true)), { ansible_password: 'p w', ansible_become_password: 'p w' });
});

test('shownCommand quotes what a shell would split', () => {
  assert.is(shownCommand('ansible-playbook', ['/a b.yml', '--extra-vars', '{"k":"v"}', '-v']), `ansible-playbook '/a b.yml' --extra-vars '{"k":"v"}' -v`);
});

const outputCases: [string, string[], { task: string; host: string; kind: string; message: string }[]][] = [
  [
    'a failed task: its name, host and msg with stderr',
    ['PLAY [all] ***', 'TASK [Gathering Facts] ***', 'ok: [default]', 'TASK [write the marker] *****', 'fatal: [default]: FAILED! => {"changed": true, "msg": "non-zero return code", "rc": 1, "stderr": "sh: cannot create /etc/x: Permission denied"}'],
    [{ task: 'write the marker', host: 'default', kind: 'FAILED', message: 'non-zero return code: sh: cannot create /etc/x: Permission denied' }],
  ],
  [
    'an unreachable host',
    ['TASK [ping] ***', 'fatal: [node]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Connection refused", "unreachable": true}'],
    [{ task: 'ping', host: 'node', kind: 'UNREACHABLE', message: 'Failed to connect to the host via ssh: Connection refused' }],
  ],
  [
    'a loop item, in a role task, and a handler',
    ['TASK [base : install packages] ***', 'failed: [default] (item=curl) => {"ansible_loop_var": "item", "item": "curl", "msg": "No package matching"}', 'RUNNING HANDLER [restart ssh] ***', 'fatal: [default]: FAILED! => not json'],
    [
      { task: 'base : install packages', host: 'default', kind: 'FAILED', message: 'No package matching' },
      { task: 'restart ssh', host: 'default', kind: 'FAILED', message: 'not json' },
    ],
  ],
  ['ignored errors and ok lines are no failure', ['TASK [x] ***', 'ok: [default]', 'changed: [default]', '...ignoring', 'PLAY RECAP ***', 'default : ok=2 changed=1 failed=0'], []],
];
for (const [name, lines, expected] of outputCases) {
  test(`output: ${name}`, () => {
    const watcher = new AnsibleOutputWatcher();
    for (const line of lines) watcher.push(line);
    assert.equal(watcher.failures, expected);
  });
}

test('failure messages name the task and host, or the exit and stderr when no task failed', () => {
  const failed = playbookFailure('provision[1] ansible', 'ansible-playbook', { exitCode: 2, stderrTail: '' }, [
    { task: 'write', host: 'default', kind: 'FAILED', message: 'boom' },
    { task: 'write', host: 'other', kind: 'FAILED', message: 'boom' },
  ]);
  assert.is(failed.code, 'E_PROVISION');
  assert.is(failed.message, 'provision[1] ansible: task "write" failed on default (and 1 more failure): boom');
  const unreachable = playbookFailure('p', 'ansible-playbook', { exitCode: 4, stderrTail: '' }, [{ task: 'Gathering Facts', host: 'default', kind: 'UNREACHABLE', message: 'refused' }]);
  assert.is(unreachable.message, 'p: could not reach default: refused');
  assert.match(unreachable.hint!, /inventory/);
  const syntax = playbookFailure('p', 'ansible-playbook', { exitCode: 4, stderrTail: 'ERROR! the role \'x\' was not found' }, []);
  assert.is(syntax.message, "p: ansible-playbook exited with code 4:\nERROR! the role 'x' was not found");
});

test.run();
