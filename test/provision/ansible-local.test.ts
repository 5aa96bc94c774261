// ansible-local: what is staged where, the command the guest runs, and a whole run
// against the in-process SSH server (its commands run on this host, so the "guest's"
// ansible-playbook is this host's real one): staged, run, failures named, folder removed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLog } from '../../lib/log/log.js';
import { localInventory, playbookCommand, stagedUploads } from '../../lib/provision/ansible/local-command.js';
import { runAnsibleLocalProvisioner } from '../../lib/provision/ansible/local-run.js';
import type { SshSession } from '../../lib/ssh/session.js';
import type { AnsibleLocalProvisioner } from '../../lib/template/types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { startFakeSshServer, type FakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { openSession } from '../ssh/helpers/open-session.js';

const base: AnsibleLocalProvisioner = {
  type: 'ansible-local',
  playbook_files: ['/t/ansible/site.yml'],
  role_paths: [],
  inventory_groups: [],
  extra_arguments: [],
  extra_vars: {},
  command: 'ansible-playbook',
  clean_staging_directory: true,
  pause_before_ms: 0,
  max_retries: 0,
};

test('staged uploads: playbook_dir\'s contents first, then the playbooks, vars folders, roles by name, requirements', () => {
  const p: AnsibleLocalProvisioner = {
    ...base,
    playbook_files: ['/t/site.yml', '/t/more/k8s.yml'],
    playbook_dir: '/t/ansible/',
    group_vars: '/t/gv',
    host_vars: '/t/hv',
    role_paths: ['/t/roles/base', '/x/common/'],
    galaxy_file: '/t/requirements.yml',
  };
  assert.equal(stagedUploads(p, '/tmp/s'), [
    { local: '/t/ansible/', remote: '/tmp/s', directory: true },
    { local: '/t/site.yml', remote: '/tmp/s/site.yml', directory: false },
    { local: '/t/more/k8s.yml', remote: '/tmp/s/k8s.yml', directory: false },
    { local: '/t/gv/', remote: '/tmp/s/group_vars', directory: true },
    { local: '/t/hv/', remote: '/tmp/s/host_vars', directory: true },
    { local: '/t/roles/base/', remote: '/tmp/s/roles/base', directory: true },
    { local: '/x/common/', remote: '/tmp/s/roles/common', directory: true },
    { local: '/t/requirements.yml', remote: '/tmp/s/requirements.yml', directory: false },
  ]);
});

test('inventory and command: the guest itself in its groups; vars as one JSON word; extra_arguments last', () => {
  assert.is(localInventory(['web', 'db']), '127.0.0.1 ansible_connection=local\n\n[web]\n127.0.0.1 ansible_connection=local\n\n[db]\n127.0.0.1 ansible_connection=local\n');
  const command = playbookCommand({ ...base, extra_vars: { who: "it's me" }, extra_arguments: ['--tags', 'a b'], command: 'sudo -E ansible-playbook' }, '/tmp/my stage', { packer_build_name: 'deb' });
  assert.is(command, `cd '/tmp/my stage' && ANSIBLE_NOCOLOR=True PYTHONUNBUFFERED=1 sudo -E ansible-playbook site.yml -i kiln-inventory.ini -c local --extra-vars '{"packer_build_name":"deb","who":"it'\\''s me"}' --tags 'a b'`);
});

let server: FakeSshServer;
let session: SshSession;
test.before(async () => {
  server = await startFakeSshServer({ password: 'secret' });
  session = await openSession(server);
});
test.after(async () => {
  await session.close();
  await server.close();
  await removeScratch();
});

const ROLE = '- name: write it\n  ansible.builtin.copy: { dest: "{{ out }}", content: "{{ greeting }} {{ packer_build_name }}" }\n';

test('a run: the playbook, group_vars and a role are staged, the guest\'s ansible-playbook runs them, the staging folder is removed', async () => {
  const dir = await scratch({
    'ansible/site.yml': '- hosts: web\n  gather_facts: false\n  roles: [writer]\n',
    'vars/web.yml': 'greeting: hello\n',
    'roles/writer/tasks/main.yml': ROLE,
  });
  const out = join(dir, 'out.txt');
  const staging = join(dir, 'staging');
  const log = memoryLog();
  const p: AnsibleLocalProvisioner = {
    ...base,
    playbook_files: [join(dir, 'ansible/site.yml')],
    group_vars: join(dir, 'vars'),
    role_paths: [join(dir, 'roles/writer')],
    inventory_groups: ['web'],
    extra_vars: { out },
    staging_directory: staging,
  };
  await runAnsibleLocalProvisioner(session, p, { label: 'provision[1] ansible-local', log, buildVars: { packer_build_name: 'deb' } });
  assert.is(await readFile(out, 'utf8'), 'hello deb');
  assert.not.ok(existsSync(staging), 'the staging folder is removed');
  assert.ok(log.lines.some((l) => l.startsWith('stdout provision[1] ansible-local: TASK [writer : write it]')), log.lines.join('\n'));
  assert.ok(log.lines.includes(`info: provision[1] ansible-local: removed ${staging}`));
});

test('a failed task names the task; clean_staging_directory: false keeps the folder', async () => {
  const dir = await scratch({ 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: fail here\n      ansible.builtin.fail: { msg: not today }\n' });
  const staging = join(dir, 'kept');
  const p = { ...base, playbook_files: [join(dir, 'site.yml')], staging_directory: staging, clean_staging_directory: false };
  const error = await kilnRejection(runAnsibleLocalProvisioner(session, p, { label: 'provision[0] ansible-local', log: memoryLog(), buildVars: {} }));
  assert.is(error.message, 'provision[0] ansible-local: task "fail here" failed on 127.0.0.1: not today');
  assert.ok(existsSync(join(staging, 'site.yml')));
});

test('a guest without ansible-playbook: named, with how to install it', async () => {
  const dir = await scratch({ 'site.yml': '- hosts: all\n' });
  const p = { ...base, playbook_files: [join(dir, 'site.yml')], command: 'kiln-no-such-ansible-playbook' };
  const error = await kilnRejection(runAnsibleLocalProvisioner(session, p, { label: 'provision[0] ansible-local', log: memoryLog(), buildVars: {} }));
  assert.is(error.message, 'provision[0] ansible-local: ansible-playbook was not found in the guest');
  assert.match(error.hint!, /apt-get install -y ansible-core/);
});

test.run();
