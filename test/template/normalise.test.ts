// A template file in, the resolved Template out: every key, every default, both syntaxes.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { loadTemplate } from '../../lib/template/load.js';
import { SHELL_RUN_DEFAULTS } from '../../lib/template/normalise.js';
import type { Template } from '../../lib/template/types.js';
import { GIB } from '../../lib/util/size.js';
import { lines, load, MINIMAL, removeScratch, scratch } from './scratch.js';

const SHA = 'ab'.repeat(32);

const FULL = lines(
  'name: debian-12',
  'variables:',
  '  password: { default: vagrant, sensitive: true }',
  '  mirror: deb.debian.org',
  '  cpus: { default: 4 }',
  'hypervisor: qemu',
  'source:',
  '  iso:',
  '    urls: [https://example.org/debian-12.iso, isos/debian-12.iso]',
  '    checksum: file:SHA256SUMS',
  'machine:',
  '  cpus: "{{ var `cpus` }}"',
  '  memory: 2G',
  '  disk: 40960',
  '  firmware: efi',
  '  accel: tcg',
  '  disk_discard: false',
  '  qemu: { binary: qemu-system-x86_64, machine: q35, args: [-smp, 2], disk_interface: sata, net_device: e1000, cpu_model: Haswell, cpu_level: x86-64-v2 }',
  '  virtualbox: { os_type: Debian_64, chipset: ich9, graphics: vboxsvga, nic_type: virtio, disk_interface: ide, modifyvm: [[--nic1, nat]] }',
  'http:',
  '  directory: http',
  '  content:',
  '    /meta-data: ""',
  '    /mirror: "{{ var `mirror` }} {{ .HTTPIP }}"',
  'cloud_init:',
  '  user_data: { hostname: "{{ .Name }}", password: "{{ var `password` }}" }',
  'boot:',
  '  wait: auto',
  '  key_interval: 20ms',
  '  command:',
  '    - "<esc><wait>"',
  '    - "auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg<enter>"',
  'ssh:',
  '  username: vagrant',
  '  password: "{{ var `password` }}"',
  '  private_key: keys/id_ed25519',
  '  port: 2222',
  '  timeout: 1h',
  'provision:',
  '  - shell: { inline: ["echo {{ var `mirror` }}"], sudo: true, env: { A: 1, B: true, C: x } }',
  '  - shell: { script: scripts/cleanup.sh, expect_disconnect: true }',
  '  - file: { source: files/, destination: /tmp/files }',
  'post_process:',
  '  - checksum: { types: [sha256, md5] }',
  '  - checksum: {}',
  '  - manifest: { output: /tmp/m.json, strip_path: true, custom_data: { built_by: kiln, n: 2 } }',
  '  - manifest: {}',
  '  - shell-local: { inline: [echo a, echo b], env: { X: 1 } }',
  '  - shell-local: { script: scripts/cleanup.sh }',
  '  - shell-local: { scripts: [scripts/cleanup.sh, /bin/true] }',
  'cache: { memory: false }',
  'shutdown:',
  '  command: sudo poweroff',
  '  timeout: 10m',
  'output:',
  '  directory: out/{{ .Name }}-{{ var `mirror` }}',
  '  formats: [qcow2, vmdk, ova]',
  '  compress: false',
  '  vagrant: { provider: libvirt, compression: 9, vagrantfile: box/Vagrantfile, layout: v2 }',
);

const FILES = {
  SHA256SUMS: '', // a local SUMS file must exist
  'http/': '',
  'keys/id_ed25519': 'key',
  'scripts/cleanup.sh': '#!/bin/sh\n',
  'files/': '',
  'box/Vagrantfile': '',
};

function expectedFull(dir: string): Template {
  return {
    name: 'debian-12',
    file: join(dir, 'kiln.yaml'),
    dir,
    variables: { password: 'vagrant', mirror: 'deb.debian.org', cpus: '4' },
    secrets: ['vagrant'],
    hypervisor: 'qemu',
    source: {
      kind: 'iso',
      urls: ['https://example.org/debian-12.iso', join(dir, 'isos/debian-12.iso')],
      checksum: { kind: 'file', location: join(dir, 'SHA256SUMS'), algorithm: 'sha256' },
    },
    machine: {
      cpus: 4,
      memory_mib: 2048,
      disk_bytes: 40 * GIB,
      firmware: 'efi',
      accel: 'tcg',
      disk_discard: false,
      qemu: { binary: 'qemu-system-x86_64', machine: 'q35', args: ['-smp', '2'], disk_interface: 'sata', net_device: 'e1000', cpu_model: 'Haswell', cpu_level: 'x86-64-v2' },
      virtualbox: { os_type: 'Debian_64', chipset: 'ich9', graphics: 'vboxsvga', nic_type: 'virtio', disk_interface: 'ide', modifyvm: [['--nic1', 'nat']] },
    },
    http: {
      directory: join(dir, 'http'),
      content: { '/meta-data': '', '/mirror': 'deb.debian.org {{ .HTTPIP }}' },
    },
    cloud_init: { user_data: { hostname: '{{ .Name }}', password: 'vagrant' }, meta_data: {}, via: ['http'] },
    boot: {
      wait: 'auto',
      key_interval_ms: 20,
      command: ['<esc><wait>', 'auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg<enter>'],
      waits: ['wait'],
    },
    ssh: { username: 'vagrant', password: 'vagrant', private_key: join(dir, 'keys/id_ed25519'), port: 2222, timeout_ms: 3_600_000 },
    provision: [
      { type: 'shell', inline: ['echo deb.debian.org'], sudo: true, env: { A: '1', B: 'true', C: 'x' }, expect_disconnect: false, ...SHELL_RUN_DEFAULTS, valid_exit_codes: [0] },
      { type: 'shell', script: join(dir, 'scripts/cleanup.sh'), sudo: false, env: {}, expect_disconnect: true, ...SHELL_RUN_DEFAULTS, valid_exit_codes: [0] },
      { type: 'file', direction: 'upload', source: `${join(dir, 'files')}/`, destination: '/tmp/files', pause_before_ms: 0, max_retries: 0 }, // trailing slash kept: upload the contents
    ],
    post_process: [
      { type: 'checksum', types: ['sha256', 'md5'] },
      { type: 'checksum', types: ['sha256'] },
      { type: 'manifest', output: '/tmp/m.json', strip_path: true, custom_data: { built_by: 'kiln', n: '2' } },
      { type: 'manifest', output: join(dir, 'packer-manifest.json'), strip_path: false, custom_data: {} },
      { type: 'shell-local', inline: ['echo a', 'echo b'], env: { X: '1' } },
      { type: 'shell-local', scripts: [join(dir, 'scripts/cleanup.sh')], env: {} },
      { type: 'shell-local', scripts: [join(dir, 'scripts/cleanup.sh'), '/bin/true'], env: {} },
    ],
    cache: { memory: false },
    shutdown: { command: 'sudo poweroff', timeout_ms: 600_000 },
    output: {
      directory: join(dir, 'out/debian-12-deb.debian.org'),
      formats: ['qcow2', 'vmdk', 'ova'],
      compress: false,
      vagrant: { provider: 'libvirt', compression: 9, vagrantfile: join(dir, 'box/Vagrantfile'), layout: 'v2' },
    },
  };
}

test.after(removeScratch);

test('a full template normalises to the resolved Template', async () => {
  const t = await load(FULL, { files: FILES });
  assert.equal(t, expectedFull(t.dir));
});

test('the JSON form of the same template gives the same Template', async () => {
  const dir = await scratch({ ...FILES, 'kiln.json': JSON.stringify(parse(FULL), null, '\t') });
  assert.equal(await loadTemplate(join(dir, 'kiln.json')), { ...expectedFull(dir), file: join(dir, 'kiln.json') });
});

test('defaults fill everything a minimal template leaves out', async () => {
  const t = await load(MINIMAL);
  assert.equal(t, {
    name: 'tiny',
    file: join(t.dir, 'kiln.yaml'),
    dir: t.dir,
    variables: {},
    secrets: [],
    hypervisor: 'qemu',
    source: { kind: 'disk', urls: [join(t.dir, 'images/base.qcow2')], checksum: { kind: 'none' }, backing: false },
    machine: {
      cpus: 2,
      memory_mib: 1024,
      disk_bytes: 20 * GIB,
      firmware: 'bios',
      accel: 'auto',
      disk_discard: true,
      qemu: { binary: 'qemu-system-x86_64', machine: 'pc', args: [], disk_interface: 'virtio' },
      virtualbox: { os_type: 'Other_64', chipset: 'piix3', graphics: 'vmsvga', nic_type: '82540EM', disk_interface: 'sata', modifyvm: [] },
    },
    http: { content: {} },
    boot: { wait: 10_000, key_interval_ms: 10, command: [], waits: [] },
    ssh: { username: 'root', port: 22, timeout_ms: 1_800_000 },
    provision: [],
    post_process: [],
    cache: { memory: true },
    shutdown: { command: 'sudo shutdown -P now', timeout_ms: 300_000 },
    output: { directory: join(t.dir, 'output/tiny'), formats: ['qcow2'], compress: true },
  });
});

test('ssh: none defaults to no shutdown command; shutdown: none is null too', async () => {
  const none = await load(MINIMAL.replace('ssh:\n  username: root\n', 'ssh: none\n'));
  assert.is(none.ssh, null);
  assert.is(none.shutdown.command, null);
  const acpi = await load(`${MINIMAL}shutdown: { command: none }\n`);
  assert.is(acpi.shutdown.command, null);
});

test('a one-string boot command, a url, a disk with backing, a plain-scalar variable', async () => {
  const t = await load(
    lines(
      'name: t',
      'variables: { base: http://mirror.local }',
      'source: { disk: { url: "{{ var `base` }}/img.qcow2", checksum: "sha256:' + SHA + '", backing: true } }',
      'ssh: { username: u }',
      'boot: { command: "<enter>", wait: 0s }',
    ),
  );
  assert.equal(t.source, { kind: 'disk', urls: ['http://mirror.local/img.qcow2'], checksum: { kind: 'digest', algorithm: 'sha256', hex: SHA }, backing: true });
  assert.equal(t.boot.command, ['<enter>']);
  assert.equal(t.boot.waits, []);
  assert.is(t.boot.wait, 0);
});

test.run();
