// The qemu builder's keys, one table row per Packer setting or group of settings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { block, lineOf, MINIMAL_QEMU, packerBuild, runCases, SHA256 } from './packer-build.js';

runCases('qemu', MINIMAL_QEMU, [
  {
    name: 'the minimal source, with Packer\'s defaults where kiln\'s differ',
    settings: {},
    expect: {
      name: 'packer-vm',
      hypervisor: 'qemu',
      'machine.cpus': 1,
      'machine.memory': 512,
      'machine.disk': 40960,
      'output.directory': 'output-vm',
      'output.compress': false,
      'source.iso.url': 'https://example.org/debian.iso',
    },
  },
  { name: 'iso_urls', settings: { iso_url: undefined, iso_urls: ['a.iso', 'https://b/a.iso'] }, expect: { 'source.iso.urls': ['a.iso', 'https://b/a.iso'] } },
  { name: 'a one-entry iso_urls is a url', settings: { iso_url: undefined, iso_urls: ['a.iso'] }, expect: { 'source.iso.url': 'a.iso' } },
  { name: 'iso_url and iso_urls both', settings: { iso_urls: ['a.iso'] }, problems: { iso_urls: /either iso_url or iso_urls/ } },
  { name: 'no iso_url', settings: { iso_url: undefined }, problems: { '': /iso_url or iso_urls is required/ } },
  { name: 'no iso_checksum', settings: { iso_checksum: undefined }, problems: { '': /iso_checksum is required/ } },
  { name: 'a bare sha256', settings: { iso_checksum: SHA256 }, expect: { 'source.iso.checksum': `sha256:${SHA256}` } },
  { name: 'a bad checksum', settings: { iso_checksum: 'nope' }, problems: { iso_checksum: /is not a checksum/ } },
  { name: 'removed checksum keys', settings: { iso_checksum_type: 'sha256', iso_checksum_url: 'x' }, problems: { iso_checksum_type: /removed in Packer 1\.6/, iso_checksum_url: /file:<url>/ } },
  { name: 'iso_target_path', settings: { iso_target_path: 'cache/x.iso' }, notes: ['iso_target_path'] },
  {
    name: 'a disk image with a backing file',
    settings: { disk_image: true, use_backing_file: 'true' },
    expect: { 'source.disk': { url: 'https://example.org/debian.iso', checksum: `sha256:${SHA256}`, backing: true }, 'source.iso': undefined },
  },
  {
    name: 'iso_skip_cache: no checksum needed',
    settings: { iso_checksum: undefined, iso_skip_cache: true },
    expect: { 'source.iso.checksum': 'none' },
    notes: ['iso_skip_cache'],
  },
  { name: 'use_backing_file without disk_image', settings: { use_backing_file: true }, problems: { use_backing_file: /needs disk_image/ } },
  { name: 'disk_size as a string with a unit', settings: { disk_size: '40G' }, expect: { 'machine.disk': '40G' } },
  { name: 'disk_size nonsense', settings: { disk_size: 'big' }, problems: { disk_size: /is not a size/ } },
  { name: 'cpus as a word', settings: { cpus: 'two' }, problems: { cpus: /expected a number, got "two"/ } },
  { name: 'accelerator none is tcg', settings: { accelerator: 'none' }, expect: { 'machine.accel': 'tcg' } },
  { name: 'accelerator xen', settings: { accelerator: 'xen' }, problems: { accelerator: /not "xen"/ } },
  { name: 'efi_boot', settings: { efi_boot: true }, expect: { 'machine.firmware': 'efi' } },
  { name: 'an OVMF vars file is UEFI, as in Packer', settings: { efi_firmware_vars: '/usr/share/OVMF/OVMF_VARS.fd' }, expect: { 'machine.firmware': 'efi' }, notes: ['efi_firmware_vars'] },
  { name: 'an OVMF firmware file', settings: { firmware: '/usr/share/OVMF/OVMF.fd' }, expect: { 'machine.firmware': 'efi' }, notes: ['firmware'] },
  { name: 'another firmware file', settings: { firmware: 'seabios.bin' }, problems: { firmware: /remove it, or set efi_boot/ } },
  { name: 'disk_discard ignore', settings: { disk_discard: 'ignore' }, expect: { 'machine.disk_discard': false } },
  {
    name: 'qemu keys kiln adds',
    settings: { disk_interface: 'ide', net_device: 'e1000', cpu_model: 'Haswell', machine_type: 'q35', qemu_binary: 'qemu-kvm' },
    expect: { 'machine.qemu': { disk_interface: 'ide', net_device: 'e1000', cpu_model: 'Haswell', machine: 'q35', binary: 'qemu-kvm' } },
  },
  {
    name: 'qemuargs: sizes become machine keys and win over memory, the rest is appended',
    settings: { memory: 1024, qemuargs: [['-m', '4G'], ['-smp', 'cpus=4'], ['-device', 'virtio-rng-pci'], ['-machine', 'q35,smm=on'], ['-enable-kvm']] },
    expect: { 'machine.memory': 4096, 'machine.cpus': 4, 'machine.accel': 'kvm', 'machine.qemu.args': ['-device', 'virtio-rng-pci', '-machine', 'q35,smm=on'] },
    notes: ['qemuargs'],
  },
  {
    name: 'qemuargs that wire the disk, the NIC or the boot order',
    settings: { qemuargs: [['-drive', 'file=x.qcow2,if=virtio'], ['-netdev', 'user,id=n0'], ['-device', 'virtio-net,netdev=n0'], ['-boot', 'c']] },
    expect: { 'machine.qemu.args': undefined },
    problems: { qemuargs: [/-drive file=x\.qcow2,if=virtio sets a drive/, /-netdev user,id=n0 sets the network/, /-device virtio-net,netdev=n0 sets the disk or network device/, /-boot c sets the boot order/] },
  },
  {
    name: 'qemuargs as bento writes them: a guest-agent channel is kept, -boot strict=off is dropped with a note',
    settings: { qemuargs: [['-device', 'virtio-serial'], ['-chardev', 'socket,name=org.qemu.guest_agent.0,id=org.qemu.guest_agent,server=on,wait=off'], ['-device', 'virtserialport,chardev=org.qemu.guest_agent,name=org.qemu.guest_agent.0'], ['-boot', 'strict=off']] },
    expect: { 'machine.qemu.args': ['-device', 'virtio-serial', '-chardev', 'socket,name=org.qemu.guest_agent.0,id=org.qemu.guest_agent,server=on,wait=off', '-device', 'virtserialport,chardev=org.qemu.guest_agent,name=org.qemu.guest_agent.0'] },
    notes: ['qemuargs'],
  },
  {
    name: 'qemuargs taking kiln\'s own serial chardev id',
    settings: { qemuargs: [['-chardev', 'file,id=serial0,path=/tmp/x']] },
    problems: { qemuargs: /serial console, which kiln wires itself.*: give it another id/ },
  },
  {
    name: 'qemuargs with a placeholder kiln would not fill',
    settings: { qemuargs: [['-fw_cfg', 'name=opt/seed,file={{ .OutputDir }}/seed.iso'], ['-usb']] },
    expect: { 'machine.qemu.args': ['-fw_cfg', 'name=opt/seed,file={{ .OutputDir }}/seed.iso', '-usb'] },
    problems: { qemuargs: /name=opt\/seed,file=\{\{ \.OutputDir \}\}\/seed\.iso: kiln passes machine\.qemu\.args as written/ },
  },
  {
    name: 'qemuargs: Packer\'s own network dropped, a NIC model on it is net_device, a row\'s value joined',
    settings: {
      qemuargs: [['-netdev', 'user,id=user.0,hostfwd=tcp::{{ .SSHHostPort }}-:22'], ['-device', 'e1000,netdev=user.0'], ['-object', 'rng-random,', 'id=rng0,filename=/dev/urandom']],
    },
    expect: { 'machine.qemu.net_device': 'e1000', 'machine.qemu.args': ['-object', 'rng-random,id=rng0,filename=/dev/urandom'] },
    notes: ['qemuargs'],
  },
  { name: 'qemuargs that are not lists of lists', settings: { qemuargs: ['-m', '2G'] }, problems: { qemuargs: /expected a list of argument lists/ } },
  { name: 'vm_name made a kiln name', settings: { vm_name: 'Debian 12.qcow2' }, expect: { name: 'debian-12' }, notes: ['vm_name'] },
  { name: 'format raw', settings: { format: 'raw', disk_compression: true }, expect: { 'output.formats': ['raw'], 'output.compress': true } },
  { name: 'format vmdk is not qemu\'s', settings: { format: 'vmdk' }, problems: { format: /use qcow2 or raw/ } },
  {
    name: 'display keys are notes',
    settings: { headless: false, display: 'gtk', vnc_bind_address: '0.0.0.0', use_default_display: true },
    notes: ['headless', 'display', 'vnc_bind_address', 'use_default_display'],
  },
  {
    name: 'http and boot',
    settings: { http_directory: 'http', http_content: { '/ks.cfg': 'text' }, http_port_min: 8000, boot_command: '<enter>', boot_wait: '3s', boot_key_interval: '10us' },
    expect: { http: { directory: 'http', content: { '/ks.cfg': 'text' } }, boot: { command: ['<enter>'], wait: '3s', key_interval: '1ms' } },
    notes: ['http_port_min'],
  },
  { name: 'boot_wait that is no duration', settings: { boot_wait: '10' }, problems: { boot_wait: /not a duration/ } },
  {
    name: 'ssh keys',
    settings: { ssh_password: 'vagrant', ssh_private_key_file: 'key', ssh_port: '2222', ssh_wait_timeout: '20m', ssh_pty: true, ssh_handshake_attempts: 20 },
    expect: { ssh: { username: 'vagrant', password: 'vagrant', private_key: 'key', port: 2222, timeout: '20m' } },
    notes: ['ssh_pty', 'ssh_handshake_attempts'],
  },
  { name: 'ssh_timeout wins over ssh_wait_timeout', settings: { ssh_timeout: '1h', ssh_wait_timeout: '20m' }, expect: { 'ssh.timeout': '1h' }, notes: ['ssh_wait_timeout'] },
  { name: 'no ssh_username', settings: { ssh_username: undefined }, problems: { '': /ssh_username is required/ } },
  { name: 'communicator none', settings: { communicator: 'none', ssh_username: undefined }, expect: { ssh: 'none' } },
  { name: 'communicator none ignores ssh keys', settings: { communicator: 'none', ssh_port: 2222 }, expect: { ssh: 'none' }, notes: ['ssh_username', 'ssh_port'] },
  { name: 'communicator winrm', settings: { communicator: 'winrm', winrm_username: 'admin' }, problems: { communicator: /over SSH only/ }, notes: ['winrm_username'] },
  { name: 'winrm keys beside SSH (bento sets them for every OS) change nothing', settings: { winrm_username: 'vagrant', winrm_timeout: '1h' }, notes: ['winrm_username', 'winrm_timeout'] },
  {
    name: 'ssh through a bastion or a proxy',
    settings: { ssh_bastion_host: 'jump', ssh_bastion_port: 2222, ssh_proxy_host: 'proxy' },
    problems: { ssh_bastion_host: /own port forward/, ssh_bastion_port: /own port forward/, ssh_proxy_host: /own port forward/ },
  },
  { name: 'no shutdown_command: the ACPI button', settings: { shutdown_command: undefined, shutdown_timeout: '10m' }, expect: { shutdown: { command: 'none', timeout: '10m' } } },
  {
    name: 'cd and floppy',
    settings: { cd_files: ['./ks.cfg'], cd_label: 'OEMDRV', floppy_files: ['a.txt'], floppy_dirs: ['dir'], floppy_content: { 'b.txt': 'b' } },
    expect: { cd: { files: ['./ks.cfg'], label: 'OEMDRV' }, floppy: { files: ['a.txt', 'dir'], content: { 'b.txt': 'b' } } },
  },
  { name: 'a TPM', settings: { vtpm: true }, problems: { vtpm: /no TPM/ } },
  { name: 'a misspelt key', settings: { iso_ulr: 'x' }, problems: { iso_ulr: /did you mean "iso_url"\?/ } },
  { name: 'a key far from any', settings: { frobnicate: 1 }, problems: { frobnicate: /not a key of the qemu builder that kiln knows: check its spelling/ } },
  { name: 'null and "" are unset', settings: { firmware: '', vm_name: null, accelerator: '' }, expect: { name: 'packer-vm', 'machine.firmware': undefined, 'machine.accel': undefined } },
]);

test('problems of several keys are all reported, each at its key', () => {
  const source = block('qemu', { ...MINIMAL_QEMU, cpus: 'x', memory: 'y', iso_checksum: 'z' });
  const { problems } = translateBuild(packerBuild(source));
  assert.equal(problems.map((p) => p.pos.line).sort(), ['cpus', 'memory', 'iso_checksum'].map((k) => lineOf(source, k)).sort());
});

test('an unknown source type is one problem at the block', () => {
  const source = block('vmware-iso', { iso_url: 'x' }, 'vm');
  const { document, problems } = translateBuild(packerBuild(source));
  assert.equal(problems, [{ pos: source.pos, message: 'vmware-iso source "vm": kiln builds qemu and virtualbox-iso sources only' }]);
  assert.equal(document, {});
});

test.run();
