// End to end on real QEMU with real Ansible (Debian's ansible-core on the host): the
// ansible provisioner runs a playbook with a role, group vars, an extra var and become
// against the fixture guest, straight to the forwarded SSH port with the build's
// generated key; the example plugin (test/fixtures/plugins/guest-file.mjs) writes a file
// over kiln's SSH session; the guest then really reboots (reboot provisioner), and a
// shell-local provisioner logs in with the KILN_SSH_* it is given. The image is exported
// as qcow2 and for Compute Engine, and the plugin's post-processor lists the artifacts.
// Then, from the stage cache: an edit to the role's task file resumes from the stage
// before the ansible provisioner, and a failing task fails the build naming the task and
// host. The fixture guest has no Python (busybox, dropbear), so the role uses the raw
// module with gather_facts off. One installer boot for all of it.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventOf, eventsOf, stepsRun, type KilnEvent } from '../helpers/events.js';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { fixtureTemplate, writeFixtureProject } from '../helpers/fixture-template.js';
import { REPO, runKiln } from '../helpers/run-kiln.js';
import { put } from '../helpers/scratch-dir.js';
import { tarMembers } from '../export/images.js';

const PLAYBOOK = `
- hosts: images
  gather_facts: false
  roles: [marker]
`;
const role = (text: string) => `
- name: write the marker
  ansible.builtin.raw: echo "{{ greeting }} {{ build_id }} ${text} $(id -u)" > /etc/kiln-ansible-marker
`;
const FAILING_ROLE = `
- name: refuse on purpose
  ansible.builtin.raw: echo "no such thing" >&2; exit 3
`;

let dir = '';
let iso = '';
const out = () => join(dir, 'out', 'ansible');
const build = async (json: boolean) => {
  const run = await runKiln(['build', 'kiln.yaml', '--force', ...(json ? ['--json'] : []), '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
  const buildLog = await readFile(join(out(), 'build.log'), 'utf8').catch(() => '');
  return { ...run, buildLog, events: json ? eventsOf(run.stdout) : [] };
};
const cacheOf = (events: KilnEvent[]) => eventOf(events, 'cache') as KilnEvent & { resumed_from: string | null; cached: number; next?: string };

test.before(async () => {
  iso = await installerIso();
  dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-ansible-'));
  const t = fixtureTemplate('ansible');
  t.plugins = ['./plugins/guest-file.mjs'];
  t.provision = [
    { ansible: { playbook_file: 'ansible/site.yml', groups: ['images'], become: true, extra_vars: { build_id: 'b-42' } } },
    { 'guest-file': { path: '/tmp/kiln-plugin-marker', content: 'written by a plugin\n' } },
    { shell: { inline: ['mv /tmp/kiln-plugin-marker /etc/kiln-plugin-marker'], sudo: true } },
    { reboot: { timeout: '3m' } },
    {
      'shell-local': {
        inline: ['ssh -p "$KILN_SSH_PORT" -i "$KILN_SSH_PRIVATE_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "$KILN_SSH_USER@$KILN_SSH_HOST" cat /etc/kiln-ansible-marker > from-guest.txt'],
      },
    },
  ];
  t.post_process = [{ 'artifact-list': { file: 'ARTIFACTS.txt' } }];
  t.output = { ...t.output, formats: ['qcow2', 'gce'] };
  await writeFixtureProject(dir, t);
  await mkdir(join(dir, 'plugins'));
  await copyFile(join(REPO, 'test/fixtures/plugins/guest-file.mjs'), join(dir, 'plugins/guest-file.mjs'));
  await put(dir, {
    'ansible/site.yml': PLAYBOOK,
    'ansible/group_vars/images.yml': 'greeting: hello from ansible\n',
    'ansible/roles/marker/tasks/main.yml': role('v1'),
  });
});
test.after(() => rm(dir, { recursive: true, force: true }));

test('kiln build runs an ansible playbook (role, group_vars, extra var, become) and a plugin provisioner; the images hold their results', async () => {
  const run = await build(false);
  assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${run.buildLog}`);
  assert.is(await readGuestFile(join(out(), 'ansible.qcow2'), '/etc/kiln-ansible-marker'), 'hello from ansible b-42 v1 0\n');
  assert.is(await readGuestFile(join(out(), 'ansible.qcow2'), '/etc/kiln-plugin-marker'), 'written by a plugin\n');
  // The inventory is in build.log; ansible's output streamed under the step's label.
  assert.match(run.buildLog, /provision\[0\] ansible: +ansible_port: \d+/);
  assert.match(run.stderr, /provision\[0\] ansible \| TASK \[marker : write the marker\]/);
  assert.match(run.stderr, /provision\[0\] ansible \| .*ok=1 +changed=1 +unreachable=0 +failed=0/);
  assert.match(run.buildLog, /provision\[1\] guest-file: wrote \/tmp\/kiln-plugin-marker \(20 bytes\)/);
  // The guest came back with a new boot id, and shell-local logged in with what it was given.
  assert.match(run.buildLog, /provision\[3\] reboot: the guest is back \(new boot [0-9a-f]{8}\)/);
  assert.is(await readFile(join(dir, 'from-guest.txt'), 'utf8'), 'hello from ansible b-42 v1 0\n');
  // The Compute Engine archive: exactly disk.raw, and the plugin's post-processor saw it.
  assert.equal(await tarMembers(join(out(), 'ansible-gce.tar.gz')), ['disk.raw']);
  const manifest = JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8')) as { files: { file: string; format: string; sha256: string }[] };
  assert.equal(manifest.files.map((f) => [f.file, f.format]), [['ansible.qcow2', 'qcow2'], ['ansible-gce.tar.gz', 'gce']]);
  assert.is(await readFile(join(out(), 'ARTIFACTS.txt'), 'utf8'), manifest.files.map((f) => `${f.sha256}  ${f.file}  ${f.format}\n`).join(''));
});

test('an edit to one role\'s task file resumes from the stage before the ansible provisioner', async () => {
  await writeFile(join(dir, 'ansible/roles/marker/tasks/main.yml'), role('v2'));
  const run = await build(true);
  assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${run.buildLog}`);
  const cache = cacheOf(run.events);
  assert.equal([cache.resumed_from, cache.cached], ['install', 1]);
  // The miss is explained by the file that changed (as kiln cache and the build output say it).
  assert.is(cache.next, 'provision[0]: ansible ansible/roles/marker/tasks/main.yml changed');
  assert.not.ok(stepsRun(run.events).includes('boot-command'), 'the installer ran again');
  assert.is(await readGuestFile(join(out(), 'ansible.qcow2'), '/etc/kiln-ansible-marker'), 'hello from ansible b-42 v2 0\n');
});

test('a failing task fails the build, naming the task and the host', async () => {
  await writeFile(join(dir, 'ansible/roles/marker/tasks/main.yml'), FAILING_ROLE);
  const run = await build(true);
  assert.is.not(run.code, 0);
  assert.equal(cacheOf(run.events).resumed_from, 'install');
  const error = run.events.find((e) => e.type === 'error');
  assert.is(error?.code, 'E_PROVISION');
  assert.match(String(error?.message), /^provision\[0\] ansible: task "marker : refuse on purpose" failed on default/);
});

test.run();
