// The VirtualBox end-to-end setup: the fixture template of test/e2e/build.test.ts with
// `hypervisor: virtualbox` (its provisioners write only inside the guest, since the
// fake guest's commands run on this host, chrooted), a fresh fake VBoxManage whose
// guest plays the fixture installer, and the fake guest's SSH server.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGuestSshd, type GuestSshd } from '../fakes/vboxmanage/guest-sshd.js';
import { installFakeVBoxManage, type FakeVBox } from '../fakes/vboxmanage/install.js';
import { installerIso } from './fixtures.js';
import { spawnKiln } from './run-kiln.js';

export const PASSWORD = 'pw-Sens1tive-9';
export const TYPED_TAIL = 'Mixed_Case-chars:/=+@,%~^.';
const BOOT_COMMAND = ['<waitSerial "boot:">', `install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg ${TYPED_TAIL}<enter>`];

/** The template; `extra` is appended to its provision list. */
export function template(name: string, extra = ''): string {
  return `
name: ${name}
hypervisor: virtualbox
variables:
  iso: {}
  password: { default: ${PASSWORD}, sensitive: true }
source:
  iso: { url: "{{ var \`iso\` }}", checksum: none }
machine:
  cpus: 2
  memory: 512
  disk: 4G
  virtualbox: { os_type: Linux26_64, nic_type: virtio, disk_interface: ide }
http:
  directory: http
  content:
    /ks.cfg: |
      hostname ${name}-host
      user kiln
      password {{ var \`password\` }}
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 0s
  key_interval: 5ms
  command:
${BOOT_COMMAND.map((line) => `    - ${JSON.stringify(line)}`).join('\n')}
ssh: { username: kiln, timeout: 2m }
provision:
  - shell:
      inline:
        - echo "marker $KILN_E2E" > /tmp/marker
        - sudo mv /tmp/marker /etc/kiln-e2e-marker
        - echo "pw={{ var \`password\` }}"
      env: { KILN_E2E: "it works" }
  - file: { source: files/motd, destination: /tmp/motd }
  - shell: { inline: ["mv /tmp/motd /etc/motd"], sudo: true }
${extra}
shutdown: { command: sudo shutdown -P now, timeout: 1m }
output: { directory: "out/{{ .Name }}", formats: [qcow2, ova], vagrant: { provider: virtualbox } }
`;
}

async function project(name: string, extra?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `kiln-e2e-vbox-${name}-`));
  await mkdir(join(dir, 'http'));
  await mkdir(join(dir, 'files'));
  await mkdir(join(dir, 'tmp'));
  await writeFile(join(dir, 'files', 'motd'), 'Welcome to a kiln-built image\n');
  await writeFile(join(dir, 'kiln.yaml'), template(name, extra));
  return dir;
}

export interface Setup {
  fake: FakeVBox;
  sshd: GuestSshd;
  dir: string;
  iso: string;
}

export async function setup(name: string, extra?: string): Promise<Setup> {
  const fake = installFakeVBoxManage({ config: { guest: 'kiln-fixture' } });
  return { fake, sshd: startGuestSshd(fake), dir: await project(name, extra), iso: await installerIso() };
}

export async function teardown(s: Setup): Promise<void> {
  await s.sshd.stop();
  s.fake.remove();
  await rm(s.dir, { recursive: true, force: true });
}

/** kiln build spawned as a user would, with the fake first on PATH and a private TMPDIR. */
export function kiln(s: Setup, onStderr?: (text: string, child: ChildProcess) => void) {
  return spawnKiln(['build', 'kiln.yaml', '--var', `iso=${s.iso}`], {
    cwd: s.dir,
    // The fake is found on PATH, as VirtualBox's VBoxManage would be.
    // A private TMPDIR, so that what kiln (and the fake) leave there can be checked.
    env: { PATH: `${s.fake.binDir}:${process.env.PATH}`, KILN_VBOXMANAGE: '', XDG_CACHE_HOME: join(s.dir, 'cache'), TMPDIR: join(s.dir, 'tmp') },
    onStderr,
  });
}

