// The fixture project the installer builds share: the fixture ISO's installer
// (fixtures/README.md) reads ks.cfg from kiln's HTTP server after kiln types a boot
// command with shifted and unshifted punctuation; kiln then provisions over SSH (a
// sensitive variable, env, a file upload, sudo, a fetch from http.directory), shuts
// down and exports. It is data, so each test changes only what it is about, and the
// VirtualBox build is this template with what VirtualBox needs (virtualboxFixture).
//
//   node dist/test/helpers/fixture-template.js virtualbox NAME DIR
//
// writes the VirtualBox project for fixtures/virtualbox-manual-e2e.sh.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

export const PASSWORD = 'pw-Sens1tive-9';
export const TYPED_TAIL = 'Mixed_Case-chars:/=+@,%~^.';
export const MOTD = 'Welcome to a kiln-built image\n';
export const SERVED = 'served from http.directory\n';

type Mapping = Record<string, unknown>;

export interface FixtureTemplate {
  name: string;
  hypervisor?: 'qemu' | 'virtualbox';
  variables: Mapping;
  /** Variable values whose combinations are the builds (docs/matrix.md). */
  matrix?: Record<string, string[]>;
  source: Mapping;
  machine: Mapping;
  http: { directory?: string; content: Record<string, string> };
  boot: { wait: string; key_interval?: string; command: string[] };
  ssh: Mapping;
  /** npm package names or paths of plugins (docs/plugins.md). */
  plugins?: string[];
  provision: Mapping[];
  post_process?: Mapping[];
  shutdown: Mapping;
  output: Mapping;
}

export function fixtureTemplate(name: string): FixtureTemplate {
  return {
    name,
    hypervisor: undefined, // not written unless set: here, so that it is written second
    variables: { iso: {}, password: { default: PASSWORD, sensitive: true } },
    source: { iso: { url: '{{ var `iso` }}', checksum: 'none' } },
    // The fixture kernel drives virtio and IDE (ata_piix): what VirtualBox is given.
    machine: { cpus: 2, memory: 512, disk: '4G', virtualbox: { os_type: 'Linux26_64', nic_type: 'virtio', disk_interface: 'ide' } },
    http: {
      directory: 'http',
      content: { '/ks.cfg': [`hostname ${name}-host`, 'user kiln', 'password {{ var `password` }}', 'authorized_key {{ .SSHPublicKey }}', ''].join('\n') },
    },
    boot: { wait: '0s', command: ['<waitSerial "boot:">', `install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg ${TYPED_TAIL}<enter>`] },
    ssh: { username: 'kiln', timeout: '5m' },
    provision: [
      {
        shell: {
          inline: ['echo "marker $KILN_E2E" > /tmp/marker', 'sudo mv /tmp/marker /etc/kiln-e2e-marker', 'echo "pw={{ var `password` }}"'],
          env: { KILN_E2E: 'it works' },
        },
      },
      { file: { source: 'files/motd', destination: '/tmp/motd' } },
      { shell: { inline: ['mv /tmp/motd /etc/motd', GUEST_FETCH], sudo: true } },
    ],
    shutdown: { command: 'sudo shutdown -P now', timeout: '3m' },
    output: { directory: 'out/{{ .Name }}', formats: ['qcow2', 'raw'] },
  };
}

/** The provisioner command that reaches the host's HTTP server from the guest. */
export const GUEST_FETCH = 'wget -q -O /etc/served http://10.0.2.2:{{ .HTTPPort }}/served.txt';

/** The same build under VirtualBox, exported as VirtualBox users want it. */
export function virtualboxFixture(name: string): FixtureTemplate {
  const t = fixtureTemplate(name);
  t.hypervisor = 'virtualbox';
  t.output = { ...t.output, formats: ['qcow2', 'ova'], vagrant: { provider: 'virtualbox' } };
  return t;
}

export const fixtureYaml = (t: FixtureTemplate): string => stringify(t, { lineWidth: 0 });

/** Writes kiln.yaml and the files it names (http/served.txt, files/motd) into `dir`. */
export async function writeFixtureProject(dir: string, t: FixtureTemplate): Promise<void> {
  const files: Record<string, string> = { 'kiln.yaml': fixtureYaml(t), 'http/served.txt': SERVED, 'files/motd': MOTD };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [kind, name, dir] = process.argv.slice(2);
  if (kind !== 'virtualbox' || !name || !dir) {
    console.error('usage: node dist/test/helpers/fixture-template.js virtualbox NAME DIR');
    process.exit(2);
  }
  await writeFixtureProject(dir, virtualboxFixture(name));
}
