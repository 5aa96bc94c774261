// Whole sources as bento and image-builder write them, translated end to end: the
// document kiln reads, where its keys came from, and what was noted or refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { originOf, translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { assertOriginsMatch, block, lineOf, MINIMAL_QEMU, packerBuild, schemaFindingsToday, SHA256, valueAt } from './packer-build.js';

// bento's debian qemu source once HCL2 evaluated it (variables filled in).
const bentoSource = block(
  'qemu',
  {
    accelerator: 'kvm',
    boot_command: ['<wait><esc><wait>auto preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg <enter>'],
    boot_wait: '5s',
    cpus: 2,
    disk_size: 65536,
    efi_boot: false,
    format: 'qcow2',
    headless: true,
    http_directory: '../../packer_templates/http',
    iso_checksum: 'file:https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/SHA256SUMS',
    iso_url: 'https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-12.6.0-amd64-netinst.iso',
    machine_type: 'q35',
    memory: 2048,
    net_device: 'virtio-net',
    disk_interface: 'virtio-scsi',
    output_directory: '../../builds/build_files/packer-debian-12.6-x86_64-qemu',
    qemu_binary: 'qemu-system-x86_64',
    qemuargs: [['-m', '2048M'], ['-smp', '2'], ['-display', 'none']],
    shutdown_command: "echo 'vagrant' | sudo -S /sbin/shutdown -hP now",
    ssh_password: 'vagrant',
    ssh_port: 22,
    ssh_timeout: '7200s',
    ssh_username: 'vagrant',
    vm_name: 'debian-12.6-amd64',
  },
  'vm',
);
const bentoShell = block('shell', {
  environment_vars: ['HOME_DIR=/home/vagrant', 'http_proxy=', 'no_proxy='],
  execute_command: "echo 'vagrant' | {{ .Vars }} sudo -S -E sh -eux '{{ .Path }}'",
  expect_disconnect: true,
  scripts: ['../../packer_templates/scripts/debian/update_debian.sh', '../../packer_templates/scripts/_common/sshd.sh'],
});
const bentoVagrant = block('vagrant', {
  compression_level: 9,
  output: '../../builds/debian-12.6-x86_64.{{ .Provider }}.box',
  vagrantfile_template: null,
});

test('bento: a qemu source, shell scripts and a vagrant box', () => {
  const { document, origins, notes, problems } = translateBuild(packerBuild(bentoSource, [bentoShell], [[bentoVagrant]]));
  assert.equal(problems, []);
  const shellOptions = {
    execute_command: "echo 'vagrant' | {{ .Vars }} sudo -S -E sh -eux '{{ .Path }}'",
    expect_disconnect: true,
    env: { PACKER_BUILDER_TYPE: 'qemu', PACKER_BUILD_NAME: 'vm', PACKER_HTTP_ADDR: '{{ .HTTPIP }}:{{ .HTTPPort }}', PACKER_HTTP_IP: '{{ .HTTPIP }}', PACKER_HTTP_PORT: '{{ .HTTPPort }}', HOME_DIR: '/home/vagrant', http_proxy: '', no_proxy: '' },
  };
  assert.equal(document, {
    name: 'debian-12.6-amd64',
    hypervisor: 'qemu',
    source: {
      iso: {
        url: 'https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-12.6.0-amd64-netinst.iso',
        checksum: 'file:https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/SHA256SUMS',
      },
    },
    machine: {
      accel: 'kvm',
      cpus: 2,
      disk: 65536,
      firmware: 'bios',
      qemu: { machine: 'q35', net_device: 'virtio-net', disk_interface: 'virtio-scsi', binary: 'qemu-system-x86_64' },
      memory: 2048,
    },
    http: { directory: '../../packer_templates/http' },
    boot: { command: ['<wait><esc><wait>auto preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg <enter>'], wait: '5s' },
    ssh: { password: 'vagrant', port: 22, timeout: '7200s', username: 'vagrant' },
    provision: [
      { shell: { ...shellOptions, script: '../../packer_templates/scripts/debian/update_debian.sh' } },
      { shell: { ...shellOptions, script: '../../packer_templates/scripts/_common/sshd.sh' } },
    ],
    shutdown: { command: "echo 'vagrant' | sudo -S /sbin/shutdown -hP now" },
    output: {
      directory: '../../builds/build_files/packer-debian-12.6-x86_64-qemu',
      compress: false,
      formats: ['qcow2'],
      vagrant: { provider: 'libvirt', compression: 9, output: '../../builds/debian-12.6-x86_64.{{ .Provider }}.box' },
    },
  });
  assert.equal(Object.keys(document), ['name', 'hypervisor', 'source', 'machine', 'http', 'boot', 'ssh', 'provision', 'shutdown', 'output']);
  // Nested keys in the schema's order, keys it does not list yet after them, whatever order Packer had.
  assert.equal(Object.keys(document.machine as object), ['cpus', 'memory', 'disk', 'firmware', 'accel', 'qemu']);
  assert.equal(Object.keys((document.machine as { qemu: object }).qemu), ['binary', 'machine', 'disk_interface', 'net_device']);
  assert.equal(Object.keys(document.boot as object), ['wait', 'command']);
  assert.equal(Object.keys(document.ssh as object), ['username', 'password', 'port', 'timeout']);
  assert.equal(schemaFindingsToday(document), []);
  assertOriginsMatch(document, origins);
  // Both entries made from `scripts` point at it, with the block's options' own lines.
  assert.is(origins.get('provision[1].shell.script')?.line, lineOf(bentoShell, 'scripts'));
  assert.is(origins.get('provision[1].shell.execute_command')?.line, lineOf(bentoShell, 'execute_command'));
  assert.is(origins.get('machine.memory')?.line, lineOf(bentoSource, 'qemuargs'));
  assert.is(origins.get('name')?.line, lineOf(bentoSource, 'vm_name'));
  const noted = notes.map((n) => [n.pos.line, n.message.split(':')[0]]);
  assert.ok(noted.some(([line]) => line === lineOf(bentoSource, 'headless')));
  assert.ok(noted.some(([line, m]) => line === lineOf(bentoSource, 'qemuargs') && m === 'qemuargs'), 'the dropped -display');
});

// image-builder's legacy JSON qemu builder: every user variable arrives as a string.
const imageBuilderSource = block('qemu', {
  accelerator: 'kvm',
  boot_command: ['<esc><wait>c<wait>linux /casper/vmlinuz autoinstall ds=nocloud-net\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/22.04/ ---<enter>'],
  boot_wait: '10s',
  cpus: '1',
  disk_compression: 'false',
  disk_discard: 'unmap',
  disk_image: 'false',
  disk_interface: 'virtio-scsi',
  disk_size: '20480',
  firmware: '',
  format: 'qcow2',
  headless: 'true',
  http_directory: './packer/qemu/linux/ubuntu/http/',
  iso_checksum: `sha256:${SHA256}`,
  iso_url: 'https://old-releases.ubuntu.com/releases/22.04/ubuntu-22.04.4-live-server-amd64.iso',
  memory: '2048',
  net_device: 'virtio-net-pci',
  output_directory: './output/ubuntu-2204-kube-v1.30.1',
  qemu_binary: 'qemu-system-x86_64',
  qemuargs: [['-cpu', 'host']],
  shutdown_command: "echo 'builder' | sudo -S -E sh -c 'usermod -L builder && shutdown -P now'",
  ssh_password: 'builder',
  ssh_timeout: '2h',
  ssh_username: 'builder',
  vm_name: 'ubuntu-2204-kube-v1.30.1',
  vnc_bind_address: '127.0.0.1',
});
const imageBuilderShell = block('shell', {
  environment_vars: ['BUILD_NAME=ubuntu-2204'],
  execute_command: "BUILD_NAME=ubuntu-2204; sudo {{.Vars}} -S -E sh -eux '{{.Path}}'",
  inline: ['if [ -f /etc/cloud/cloud.cfg.d/99-installer.cfg ]; then rm /etc/cloud/cloud.cfg.d/99-installer.cfg; fi'],
});
const imageBuilderAnsible = block('ansible', { playbook_file: './ansible/node.yml', user: 'builder' });
const imageBuilderManifest = block('manifest', { custom_data: { kubernetes_version: 'v1.30.1', os_name: 'ubuntu' }, output: './output/packer-manifest.json', strip_path: true });
const imageBuilderShellLocal = block('shell-local', {
  environment_vars: ['OUTPUT_DIR=./output/ubuntu-2204-kube-v1.30.1'],
  inline: ['../../hack/image-grow-partition.sh "$OUTPUT_DIR"'],
});

test('image-builder: strings for numbers and booleans, the ansible provisioner, manifest and shell-local kept', () => {
  const build = packerBuild(imageBuilderSource, [imageBuilderShell, imageBuilderAnsible], [[imageBuilderManifest], [imageBuilderShellLocal]]);
  const { document, origins, notes, problems } = translateBuild(build);
  assert.equal(problems, []);
  assert.equal(document.machine, {
    accel: 'kvm',
    cpus: 1,
    disk_discard: true,
    disk: 20480,
    memory: 2048,
    qemu: { disk_interface: 'virtio-scsi', net_device: 'virtio-net-pci', binary: 'qemu-system-x86_64', cpu_model: 'host' },
  });
  assert.equal(document.source, { iso: { url: 'https://old-releases.ubuntu.com/releases/22.04/ubuntu-22.04.4-live-server-amd64.iso', checksum: `sha256:${SHA256}` } });
  assert.equal(document.output, { directory: './output/ubuntu-2204-kube-v1.30.1', compress: false, formats: ['qcow2'] });
  assert.equal(document.post_process, [
    { manifest: { custom_data: { kubernetes_version: 'v1.30.1', os_name: 'ubuntu' }, output: './output/packer-manifest.json', strip_path: true } },
    { 'shell-local': { inline: ['../../hack/image-grow-partition.sh "$OUTPUT_DIR"'], env: { OUTPUT_DIR: './output/ubuntu-2204-kube-v1.30.1' } } },
  ]);
  assert.equal((document.provision as unknown[])[1], { ansible: { playbook_file: './ansible/node.yml', user: 'builder' } });
  assert.ok(notes.some((n) => n.pos.line === lineOf(imageBuilderSource, 'vnc_bind_address')));
  assert.equal(schemaFindingsToday(document), []);
  assertOriginsMatch(document, origins);
});

test('an HCL2 build is named after its source\'s label, as Packer names it', () => {
  const source = { ...block('qemu', MINIMAL_QEMU), name: 'debian' };
  const { document } = translateBuild({ ...packerBuild(source, [block('shell', { inline: ['true'] })]), name: 'qemu.debian' });
  assert.is(document.name, 'packer-debian');
  assert.is((document.output as { directory: string }).directory, 'output-debian');
  assert.is(valueAt(document, 'provision.0.shell.env.PACKER_BUILD_NAME'), 'debian');
});

test('a build with sensitive values keeps them out of notes and problems', () => {
  const source = block('qemu', { iso_url: 'x.iso', iso_checksum: 's3cr3t-token', ssh_username: 'u', ssh_password: 's3cr3t-token', shutdown_command: 'poweroff' });
  const { problems } = translateBuild({ ...packerBuild(source), sensitive: ['s3cr3t-token'] });
  assert.is(problems.length, 1);
  assert.not.match(problems[0]!.message, /s3cr3t/);
  assert.match(problems[0]!.message, /<sensitive>/);
});

test('kiln\'s own schema findings point back at the Packer settings they came from', () => {
  const source = block('qemu', {
    iso_url: 'a.iso',
    iso_checksum: 'none',
    ssh_username: 'vagrant',
    ssh_port: 70000,
    shutdown_command: 'poweroff',
  });
  const sums = block('checksum', { checksum_types: ['sha256', 'sha224'] });
  const { document, origins, problems } = translateBuild(packerBuild(source, [], [[sums]]));
  assert.equal(problems, []);
  const located = schemaFindingsToday(document).map((f) => [originOf(origins, f.path)?.line, f.message.split(':')[0]]);
  assert.equal(located, [
    [lineOf(source, 'ssh_port'), '70000 is out of range'],
    [lineOf(sums, 'checksum_types'), '"sha224" is not one of sha256, sha512, md5, sha1'],
  ]);
  assert.is(originOf(origins, ['nothing', 'here']), undefined);
});

test.run();
