// The ansible provisioner on this host: real ansible-playbook (the play runs with
// `connection: local`, so no guest is needed) reading kiln's inventory, group vars, a
// role, ansible.cfg and extra vars; and a stand-in `command:` script for passwords,
// failures, timeouts and retries.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { runAnsibleProvisioner, type AnsibleRunOptions } from '../../lib/provision/ansible/run.js';
import type { AnsibleProvisioner } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { ANSIBLE_DEFAULTS } from '../../lib/template/normalise-provision.js';

test.after(removeScratch);

const PLAYBOOK = `
- hosts: web
  connection: local
  gather_facts: false
  roles: [marker]
`;
const ROLE_TASKS = `
- name: write the marker
  ansible.builtin.copy:
    dest: "{{ out }}"
    content: "{{ greeting }} {{ who }} {{ packer_build_name }} {{ inventory_hostname }}"
`;
const FAILING = `
- hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: check the disk
      ansible.builtin.command: /bin/sh -c "echo 'no space left' >&2; exit 3"
`;

function provisioner(dir: string, options: Partial<AnsibleProvisioner> = {}): AnsibleProvisioner {
  return {
    type: 'ansible',
    playbook_files: [join(dir, 'ansible/site.yml')],
    ...ANSIBLE_DEFAULTS,
    host_alias: 'box',
    groups: ['web'],
    ...options,
  };
}

function runOptions(dir: string, log = memoryLog()): AnsibleRunOptions & { log: ReturnType<typeof memoryLog> } {
  return {
    label: 'provision[0] ansible',
    log,
    connection: { host: '127.0.0.1', port: 2222, user: 'kiln', privateKeyFile: join(dir, 'key') },
    workDir: join(dir, 'work/ansible-0'),
    buildVars: { packer_build_name: 'deb', packer_builder_type: 'qemu' },
  };
}

test('real ansible-playbook: kiln\'s inventory (alias, group), group_vars, a role from ansible.cfg\'s roles_path, extra vars; output streamed with the label', async () => {
  const dir = await scratch({
    'ansible/site.yml': PLAYBOOK,
    'ansible/ansible.cfg': '[defaults]\nroles_path = ./my-roles\n',
    'ansible/group_vars/web.yml': 'greeting: hello\n',
    'ansible/my-roles/marker/tasks/main.yml': ROLE_TASKS,
  });
  const out = join(dir, 'marker.txt');
  const options = runOptions(dir);
  await runAnsibleProvisioner(provisioner(dir, { extra_vars: { out, who: 'world' } }), options);
  assert.is(await readFile(out, 'utf8'), 'hello world deb box');
  const lines = options.log.lines;
  assert.ok(lines.some((l) => /^stdout provision\[0\] ansible: TASK \[marker : write the marker\]/.test(l)), lines.join('\n'));
  assert.ok(lines.includes('info: provision[0] ansible:   all:'), 'the inventory is shown');
  assert.ok(lines.some((l) => l.startsWith(`info: provision[0] ansible: using ${join(dir, 'ansible/ansible.cfg')}`)));
});

test('real ansible-playbook: a failed task fails the run naming the task and the host', async () => {
  const dir = await scratch({ 'ansible/site.yml': FAILING });
  const error = await kilnRejection(runAnsibleProvisioner(provisioner(dir), runOptions(dir)));
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, /^provision\[0\] ansible: task "check the disk" failed on box: non-zero return code: no space left$/);
});

test('a missing program is named, with the package that has it', async () => {
  const dir = await scratch({ 'ansible/site.yml': PLAYBOOK });
  const error = await kilnRejection(runAnsibleProvisioner(provisioner(dir, { command: 'kiln-no-such-ansible-playbook' }), runOptions(dir)));
  assert.is(error.message, 'provision[0] ansible: kiln-no-such-ansible-playbook was not found on this host (PATH)');
  assert.match(error.hint!, /apt-get install ansible-core/);
});

// Records its arguments and the password file it was given, then exits as FAKE_EXIT says.
const FAKE = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_DIR/args"
for a in "$@"; do case "$a" in @*) f=\${a#@}; cat "$f" > "$FAKE_DIR/secret"; stat -c %a "$f" > "$FAKE_DIR/mode";; esac; done
echo "run" >> "$FAKE_DIR/runs"
[ "$(wc -l < "$FAKE_DIR/runs")" -gt "\${FAKE_FAIL_RUNS:-0}" ] || { echo "ERROR! flaky" >&2; exit 1; }
[ -z "$FAKE_SLEEP" ] || sleep "$FAKE_SLEEP"
exit 0
`;

test('password login: a 0600 vars file with the login and become password, passed by name, removed after; never in the log', async () => {
  const dir = await scratch({ 'ansible/site.yml': PLAYBOOK, 'fake.sh': FAKE });
  const options = { ...runOptions(dir), connection: { host: '127.0.0.1', port: 2222, user: 'kiln', password: 's3cret pw' } };
  await runAnsibleProvisioner(provisioner(dir, { command: join(dir, 'fake.sh'), become: true, ansible_env_vars: { FAKE_DIR: dir } }), options);
  assert.equal(JSON.parse(await readFile(join(dir, 'secret'), 'utf8')), { ansible_password: 's3cret pw', ansible_become_password: 's3cret pw' });
  assert.is((await readFile(join(dir, 'mode'), 'utf8')).trim(), '600');
  assert.not.ok(await stat(join(dir, 'work/ansible-0/login.json')).catch(() => false), 'the password file is removed');
  assert.not.ok(options.log.lines.some((l) => l.includes('s3cret')));
  assert.ok((await readFile(join(dir, 'args'), 'utf8')).includes('--become\n'));
});

test('max_retries runs a failed playbook again', async () => {
  const dir = await scratch({ 'ansible/site.yml': PLAYBOOK, 'fake.sh': FAKE });
  const options = runOptions(dir);
  await runAnsibleProvisioner(provisioner(dir, { command: join(dir, 'fake.sh'), max_retries: 2, ansible_env_vars: { FAKE_DIR: dir, FAKE_FAIL_RUNS: '2' } }), options);
  assert.is(await readFile(join(dir, 'runs'), 'utf8'), 'run\nrun\nrun\n');
  assert.ok(options.log.lines.some((l) => l.endsWith('exited with code 1; running it again (attempt 3 of 3, max_retries)')), options.log.lines.join('\n'));
});

test('timeout stops a playbook that runs too long and says so', async () => {
  const dir = await scratch({ 'ansible/site.yml': PLAYBOOK, 'fake.sh': FAKE });
  const p = provisioner(dir, { command: join(dir, 'fake.sh'), timeout_ms: 300, ansible_env_vars: { FAKE_DIR: dir, FAKE_SLEEP: '30' } });
  const error = await kilnRejection(runAnsibleProvisioner(p, runOptions(dir)));
  assert.match(error.message, /fake\.sh did not finish within .* \(timeout\)$/);
});

test('password login without sshpass on PATH is refused before anything runs, naming the package', async () => {
  const dir = await scratch({ 'ansible/site.yml': PLAYBOOK });
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'empty');
  try {
    const options = { ...runOptions(dir), connection: { host: '127.0.0.1', port: 2222, user: 'kiln', password: 'x' } };
    const error = await kilnRejection(runAnsibleProvisioner(provisioner(dir), options));
    assert.match(error.message, /needs sshpass/);
    assert.match(error.hint!, /apt-get install sshpass/);
  } finally {
    process.env.PATH = path;
  }
});

test.run();
