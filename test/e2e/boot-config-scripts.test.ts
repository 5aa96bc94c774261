// The shipped provisioning scripts on a real guest (the fixture installer's system, the
// only one that installs offline): vagrant.sh installs Vagrant's key with the right
// owner and modes and a sudo rule that works on its own, minimize.sh trims the root
// filesystem, and the results are in the exported image. The scripts are the ones
// `kiln init debian-13` writes. The distributions' own installers cannot run here.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { runKiln } from '../helpers/run-kiln.js';

const template = (config: string) => `
name: scripts
variables:
  iso: {}
source:
  iso: { url: "{{ var \`iso\` }}", checksum: none }
machine: { cpus: 2, memory: 512, disk: 4G }
http:
  content:
    /ks.cfg: |
      hostname scripts
      user vagrant
      password vagrant
boot:
  wait: 0s
  key_interval: 20ms   # unhurried: CI machines are busy, and a lost key costs the whole timeout
  command:
    - '<waitSerial "boot:">'
    - "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"
ssh: { username: vagrant, password: vagrant, timeout: 5m }
provision:
  - file: { source: "${config}/files/vagrant.pub", destination: /tmp/vagrant.pub }
  - shell: { script: "${config}/scripts/vagrant.sh", sudo: true }
  # Only the rule vagrant.sh wrote is left; sudo -n must still work through it.
  - shell: { inline: ["rm -f /etc/sudoers.d/90-kiln-vagrant"], sudo: true }
  - shell: { inline: ["sudo -n true && echo passwordless-sudo-ok", "stat -c 'mode %a %U %n' $HOME/.ssh $HOME/.ssh/authorized_keys", "cat $HOME/.ssh/authorized_keys"] }
  - shell: { script: "${config}/scripts/minimize.sh", sudo: true }
shutdown: { command: sudo shutdown -P now, timeout: 2m }
output: { directory: out, formats: [qcow2] }
`;

test('vagrant.sh and minimize.sh work on a real guest', async () => {
  const iso = await installerIso();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-scripts-'));
  try {
    const init = await runKiln(['init', 'debian-13', 'config'], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    const config = join(dir, 'config');
    await writeFile(join(dir, 'kiln.yaml'), template(config));
    // A cache of its own, so every run really provisions.
    const env = { XDG_CACHE_HOME: join(dir, 'cache') };
    const run = await runKiln(['build', 'kiln.yaml', '--var', `iso=${iso}`], { cwd: dir, env });
    const log = await readFile(join(dir, 'out', 'build.log'), 'utf8').catch(() => '');
    assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${log}`);
    assert.match(run.stderr, /vagrant\.sh: insecure key and passwordless sudo set up for vagrant/);
    assert.match(run.stderr, /passwordless-sudo-ok/);
    assert.match(run.stderr, /\| mode 700 vagrant \/home\/vagrant\/\.ssh\n/);
    assert.match(run.stderr, /\| mode 600 vagrant \/home\/vagrant\/\.ssh\/authorized_keys\n/);
    assert.match(run.stderr, /\| ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN1YdxBpNlzxDqfJyw\/QKow1F\+wvG9hXGoqiysfJOn5Y vagrant insecure public key\n/);
    assert.match(run.stderr, /minimize\.sh: (trimmed|zero-filled) \//);

    const image = join(dir, 'out', 'scripts.qcow2');
    assert.is(await readGuestFile(image, '/home/vagrant/.ssh/authorized_keys'), await readFile(join(config, 'files', 'vagrant.pub'), 'utf8'));
    assert.is(await readGuestFile(image, '/etc/sudoers.d/vagrant'), 'Defaults:vagrant !requiretty\nvagrant ALL=(ALL) NOPASSWD: ALL\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
