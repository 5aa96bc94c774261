// End to end on real QEMU with real Ansible (Debian's ansible-core on the host): the
// ansible provisioner runs a playbook with a role, group vars, an extra var and become
// against the fixture guest, straight to the forwarded SSH port with the build's
// generated key; the guest then really reboots (reboot provisioner), and a shell-local
// provisioner logs in with the KILN_SSH_* it is given. The exported image holds what the
// role wrote. The fixture guest has no Python (busybox, dropbear), so the role uses the
// raw module with gather_facts off. One build for all of it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { fixtureTemplate, writeFixtureProject } from '../helpers/fixture-template.js';
import { runKiln } from '../helpers/run-kiln.js';
import { put } from '../helpers/scratch-dir.js';

const PLAYBOOK = `
- hosts: images
  gather_facts: false
  roles: [marker]
`;
const ROLE = `
- name: write the marker
  ansible.builtin.raw: echo "{{ greeting }} {{ build_id }} $(id -u)" > /etc/kiln-ansible-marker
`;

test('kiln build runs an ansible playbook (role, group_vars, extra var, become) and the image holds its result', async () => {
  const iso = await installerIso();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-ansible-'));
  try {
    const t = fixtureTemplate('ansible');
    t.provision = [
      { ansible: { playbook_file: 'ansible/site.yml', groups: ['images'], become: true, extra_vars: { build_id: 'b-42' } } },
      { reboot: { timeout: '3m' } },
      {
        'shell-local': {
          inline: ['ssh -p "$KILN_SSH_PORT" -i "$KILN_SSH_PRIVATE_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "$KILN_SSH_USER@$KILN_SSH_HOST" cat /etc/kiln-ansible-marker > from-guest.txt'],
        },
      },
    ];
    t.output = { ...t.output, formats: ['qcow2'] };
    await writeFixtureProject(dir, t);
    await put(dir, {
      'ansible/site.yml': PLAYBOOK,
      'ansible/group_vars/images.yml': 'greeting: hello from ansible\n',
      'ansible/roles/marker/tasks/main.yml': ROLE,
    });
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`], { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
    const out = join(dir, 'out', 'ansible');
    const buildLog = await readFile(join(out, 'build.log'), 'utf8').catch(() => '');
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${buildLog}`);
    assert.is(await readGuestFile(join(out, 'ansible.qcow2'), '/etc/kiln-ansible-marker'), 'hello from ansible b-42 0\n');
    // The inventory is in build.log; ansible's output streamed under the step's label.
    assert.match(buildLog, /provision\[0\] ansible: +ansible_port: \d+/);
    assert.match(run.stderr, /provision\[0\] ansible \| TASK \[marker : write the marker\]/);
    assert.match(run.stderr, /provision\[0\] ansible \| .*ok=1 +changed=1 +unreachable=0 +failed=0/);
    // The guest came back with a new boot id, and shell-local logged in with what it was given.
    assert.match(buildLog, /provision\[1\] reboot: the guest is back \(new boot [0-9a-f]{8}\)/);
    assert.is(await readFile(join(dir, 'from-guest.txt'), 'utf8'), 'hello from ansible b-42 0\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
