// A bento-style template folder (variables, deep conditional locals, two sources, shell
// provisioners with only/except, a vagrant post-processor) with each OS's var file.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadHcl2 } from '../../../lib/packer/hcl2/load-hcl2.js';
import { BENTO, BENTO_TEMPLATES, inputs, setting } from './load.js';

const varFile = (name: string): string => join(BENTO, 'os_pkrvars', name);
const T = BENTO_TEMPLATES;

interface Case {
  varFile: string;
  only: string;
  expect: Record<string, unknown>;
}

const cases: Case[] = [
  {
    varFile: 'debian/debian-12-x86_64.pkrvars.hcl',
    only: 'qemu.vm',
    expect: { vm_name: 'debian-12.8-amd64', qemu_binary: 'qemu-system-x86_64', qemuargs: [['-cpu', 'host']], memory: 1024, boot_wait: '10s', output_directory: `${T}/../builds/packer-debian-12.8-amd64-qemu` },
  },
  {
    varFile: 'debian/debian-12-aarch64.pkrvars.hcl',
    only: 'qemu.vm',
    expect: { vm_name: 'debian-12.8-aarch64', qemu_binary: 'qemu-system-aarch64', memory: 1536, qemuargs: [['-boot', 'strict=off'], ['-cpu', 'host'], ['-machine', 'virt,gic-version=max']] },
  },
  {
    varFile: 'debian/debian-12-aarch64.pkrvars.hcl',
    only: 'virtualbox-iso.vm',
    expect: { guest_os_type: 'Debian_arm64', vboxmanage: [['modifyvm', '{{.Name}}', '--chipset', 'armv8virtual'], ['modifyvm', '{{.Name}}', '--audio-enabled', 'off']] },
  },
  {
    varFile: 'ubuntu/ubuntu-24.04-x86_64.pkrvars.hcl',
    only: 'virtualbox-iso.vm',
    expect: { guest_os_type: 'Ubuntu24_LTS_64', boot_wait: '5s', hard_drive_interface: 'sata', output_directory: `${T}/../builds/packer-ubuntu-24.04-amd64-virtualbox` },
  },
  {
    varFile: 'ubuntu/ubuntu-24.04-x86_64.pkrvars.hcl',
    only: 'qemu.vm',
    expect: { qemuargs: [['-cpu', 'host'], ['-smp', '2']], iso_checksum: 'file:https://releases.ubuntu.com/noble/SHA256SUMS' },
  },
  {
    varFile: 'almalinux/almalinux-9-x86_64.pkrvars.hcl',
    only: 'qemu.vm',
    expect: { vm_name: 'almalinux-9.5-amd64', memory: 4096, shutdown_command: "echo 'vagrant' | sudo -S /sbin/halt -h -p", http_directory: `${T}/http`, ssh_port: 22, headless: true },
  },
];

for (const c of cases) {
  test(`${c.varFile} -only=${c.only}: the source settings`, async () => {
    const template = await loadHcl2(T, inputs({ varFiles: [varFile(c.varFile)], only: [c.only] }));
    assert.equal(template.builds.map((b) => b.name), [c.only]);
    const [build] = template.builds;
    for (const [key, value] of Object.entries(c.expect)) assert.equal(setting(build!, key), value, key);
  });
}

test('without -only every enabled source is built, in the order sources lists them', async () => {
  const debian = await loadHcl2(T, inputs({ varFiles: [varFile('debian/debian-12-x86_64.pkrvars.hcl')] }));
  assert.equal(debian.builds.map((b) => [b.name, b.source.type, b.source.name]), [['virtualbox-iso.vm', 'virtualbox-iso', 'vm'], ['qemu.vm', 'qemu', 'vm']]);
  const alma = await loadHcl2(T, inputs({ varFiles: [varFile('almalinux/almalinux-9-x86_64.pkrvars.hcl')] }));
  assert.equal(alma.builds.map((b) => b.name), ['qemu.vm']);
});

test('provisioners: only, except = null, override for one source, source.* and build.* bound per source', async () => {
  const template = await loadHcl2(T, inputs({ varFiles: [varFile('debian/debian-12-x86_64.pkrvars.hcl')], env: { http_proxy: 'http://proxy:3128' } }));
  const [vbox, qemu] = template.builds;
  assert.equal(vbox!.provisioners.length, 3);
  assert.equal(qemu!.provisioners.length, 2, 'the guest additions provisioner is only for virtualbox-iso.vm');

  const [scripts] = qemu!.provisioners;
  assert.equal(scripts!.type, 'shell');
  assert.equal(scripts!.settings.scripts?.value, [`${T}/scripts/debian/update_debian.sh`, `${T}/scripts/_common/sshd.sh`, `${T}/scripts/_common/vagrant.sh`, `${T}/scripts/debian/cleanup_debian.sh`, `${T}/scripts/_common/minimize.sh`]);
  assert.equal(scripts!.settings.environment_vars?.value, ['HOME_DIR=/home/vagrant', 'http_proxy=http://proxy:3128', 'no_proxy=localhost,127.0.0.1', 'HOST_OS=unknown']);
  assert.equal(scripts!.settings.expect_disconnect?.value, true);
  assert.not.ok('except' in scripts!.settings, 'meta-arguments are taken out');

  const additions = vbox!.provisioners[1]!;
  assert.equal(additions.settings.inline?.value, ['echo installing guest additions for virtualbox-iso.vm']);
  assert.equal([additions.settings.pause_before?.value, additions.settings.max_retries?.value, additions.settings.timeout?.value], ['10s', 2, '5m']);
  assert.equal(additions.pos, { file: join(T, 'pkr-builder.pkr.hcl'), line: 53, column: 3 });

  const overridden = vbox!.provisioners[2]!;
  assert.equal(overridden.settings.execute_command?.value, "sudo -E sh '{{ .Path }}'");
  assert.equal(overridden.settings.inline?.value, ['echo built by packer on {{ build `PackerHTTPAddr` }}']);
  assert.not.ok('execute_command' in qemu!.provisioners[1]!.settings, 'the override is for virtualbox-iso.vm only');
});

test('the vagrant post-processor, sensitive values, files, notes and variables', async () => {
  const file = varFile('debian/debian-12-x86_64.pkrvars.hcl');
  const template = await loadHcl2(T, inputs({ varFiles: [file], only: ['qemu.vm'] }));
  const [build] = template.builds;
  assert.equal(build!.postProcessors.length, 1);
  const [vagrant] = build!.postProcessors[0]!;
  assert.equal(vagrant!.type, 'vagrant');
  assert.equal(vagrant!.settings.output?.value, `${T}/../builds/debian-12.8-amd64.{{ .Provider }}.box`);
  assert.equal(vagrant!.settings.compression_level?.value, 9);
  assert.not.ok('vagrantfile_template' in vagrant!.settings, 'a null setting is not set');
  assert.equal(build!.sensitive, ['vagrant-secret']);
  assert.equal(build!.dir, T);
  assert.equal(build!.files, ['pkr-builder.pkr.hcl', 'pkr-sources.pkr.hcl', 'pkr-variables.pkr.hcl'].map((f) => join(T, f)).concat(file));
  assert.equal(build!.source.settings.ssh_password?.pos, { file: join(T, 'pkr-sources.pkr.hcl'), line: 70, column: 3 });

  const notes = template.notes.map((n) => `${n.pos.line}: ${n.message}`);
  assert.ok(notes.some((n) => /^3: data source host-info is not supported by kiln/.test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /^3: kiln builds qemu and virtualbox-iso itself; required_plugins ignored$/.test(n)), notes.join('\n'));

  const variables = Object.fromEntries(template.variables.map((v) => [v.name, v]));
  assert.equal(template.variables.length, 33);
  assert.equal(variables.ssh_password?.value, '<sensitive>');
  assert.equal(variables.ssh_password?.sensitive, true);
  assert.equal(variables.os_name?.value, 'debian');
  assert.equal(variables.os_name?.description, 'Distribution name: debian, ubuntu or almalinux');
  assert.equal(variables.qemuargs?.value, null);
});

test.run();
