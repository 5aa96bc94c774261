// End to end on real QEMU: Packer templates built unchanged. A bento-style HCL2 folder
// (variables file, source file, build file, a .pkrvars.hcl) built with Packer's own flags,
// then a legacy JSON template written the way image-builder writes them; the second
// resumes from the first's install (same installer settings, one stage cache), as a
// user's second template would. Images and the Vagrant box are checked as in export.test.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installerIso, readGuestFile } from '../helpers/fixtures.js';
import { eventOf, eventsOf } from '../helpers/events.js';
import { runKiln } from '../helpers/run-kiln.js';

/** Mounts each CD drive in turn and copies the cd_content file from the one that has it. */
const CD_READ = 'mkdir -p /mnt/cd; for d in /dev/sr*; do mount -t iso9660 -o ro $d /mnt/cd 2>/dev/null || continue; if [ -f /mnt/cd/data/hello.txt ]; then cp /mnt/cd/data/hello.txt /etc/kiln-cd-marker; fi; umount /mnt/cd; done; test -f /etc/kiln-cd-marker';

const KICKSTART = ['hostname packer-fixture', 'user ${var.ssh_username}', 'authorized_key {{ .SSHPublicKey }}', ''].join('\n');

const VARIABLES_HCL = `
variable "iso_url" {
  type        = string
  description = "the fixture installer ISO"
}
variable "ssh_username" {
  type    = string
  default = "kiln"
}
variable "memory" {
  type    = number
  default = 256
}
variable "os_name" { type = string }
`;

const SOURCES_HCL = `
packer {
  required_plugins {
    qemu = { version = ">= 1.0.0", source = "github.com/hashicorp/qemu" }
  }
}

locals {
  memory   = var.os_name == "fixture" ? var.memory * 2 : var.memory
  vm_name  = "\${var.os_name}-\${lower("QEMU")}"
  ks       = <<-EOT
${KICKSTART.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}
  EOT
}

source "qemu" "vm" {
  iso_url           = var.iso_url
  iso_checksum      = "none"
  cpus              = 1
  memory            = local.memory
  disk_size         = "1G"
  format            = "qcow2"
  headless          = true
  qemuargs          = [["-rtc", "base=utc"]]
  http_content      = { "/ks.cfg" = local.ks }
  boot_wait         = "0s"
  boot_key_interval = "10ms"
  boot_command      = ["<waitSerial \\"boot:\\">", "install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"]
  cd_label          = "KILNDATA"
  cd_content        = { "data/hello.txt" = "from the cd of \${var.os_name}" }
  communicator      = "ssh"
  ssh_username      = var.ssh_username
  ssh_timeout       = "5m"
  shutdown_command  = "sudo shutdown -P now"
  shutdown_timeout  = "2m"
  vm_name           = local.vm_name
  output_directory  = "out-hcl"
}
`;

const BUILD_HCL = `
build {
  sources = ["source.qemu.vm"]

  provisioner "shell" {
    environment_vars = ["MARKER=from-hcl"]
    execute_command  = "{{ .Vars }} sudo -E sh -eu '{{ .Path }}'"
    inline           = ["echo \\"$MARKER $PACKER_BUILDER_TYPE $PACKER_BUILD_NAME\\" > /etc/kiln-packer-marker"]
  }

  # The cd_content CD, found by its contents among the guest's CD drives.
  provisioner "shell" {
    execute_command = "sudo sh -eu '{{ .Path }}'"
    inline          = ["${CD_READ}"]
  }

  provisioner "shell" {
    only   = ["virtualbox-iso.vm"]
    inline = ["exit 1"]
  }

  post-processor "vagrant" {
    output            = "boxes/{{ .Provider }}-\${var.os_name}.box"
    compression_level = 1
  }
}
`;

const LEGACY_JSON = {
  variables: { iso_url: null, ssh_username: 'kiln', memory: '512', marker: 'from-json' },
  builders: [
    {
      type: 'qemu',
      iso_url: '{{user `iso_url`}}',
      iso_checksum: 'none',
      cpus: 1,
      memory: '{{user `memory`}}',
      disk_size: '1G',
      qemuargs: [['-rtc', 'base=utc']],
      http_content: { '/ks.cfg': KICKSTART.replace('${var.ssh_username}', '{{user `ssh_username`}}') },
      boot_wait: '0s',
      boot_key_interval: '10ms',
      boot_command: ['<waitSerial "boot:">', 'install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>'],
      cd_label: 'KILNDATA',
      cd_content: { 'data/hello.txt': 'from the cd of fixture' },
      ssh_username: '{{user `ssh_username`}}',
      ssh_timeout: '5m',
      shutdown_command: 'sudo shutdown -P now',
      vm_name: 'fixture-{{ build_type }}',
      output_directory: 'out-json',
    },
  ],
  provisioners: [
    {
      type: 'shell',
      environment_vars: ['MARKER={{user `marker`}}'],
      execute_command: "{{ .Vars }} sudo -E sh -eu '{{ .Path }}'",
      inline: ['echo "$MARKER $PACKER_BUILDER_TYPE $PACKER_BUILD_NAME" > /etc/kiln-packer-marker'],
    },
  ],
  'post-processors': [[{ type: 'vagrant', output: 'boxes/json-{{ .Provider }}.box' }]],
};

test('a bento-style HCL2 folder, then a legacy JSON template, build with Packer\'s flags; the second resumes from the first\'s install', async () => {
  const iso = await installerIso();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-packer-'));
  const env = { XDG_CACHE_HOME: join(dir, 'cache') };
  try {
    await writeFile(join(dir, 'pkr-variables.pkr.hcl'), VARIABLES_HCL);
    await writeFile(join(dir, 'pkr-sources.pkr.hcl'), SOURCES_HCL);
    await writeFile(join(dir, 'pkr-builder.pkr.hcl'), BUILD_HCL);
    await writeFile(join(dir, 'fixture.pkrvars.hcl'), 'os_name = "fixture"\n');
    const hcl = await runKiln(['build', '-only=qemu.vm', '-var-file=fixture.pkrvars.hcl', '-var', `iso_url=${iso}`, '.'], { cwd: dir, env });
    const hclLog = await readFile(join(dir, 'out-hcl', 'build.log'), 'utf8').catch(() => '');
    assert.is(hcl.code, 0, `kiln build (HCL2) failed:\n${hcl.stderr}\n--- build.log ---\n${hclLog}`);
    assert.match(hcl.stderr, /required_plugins/, 'the packer block is noted');
    const image = join(dir, 'out-hcl', 'fixture-qemu.qcow2');
    assert.is(await readGuestFile(image, '/etc/kiln-packer-marker'), 'from-hcl qemu vm\n');
    assert.is(await readGuestFile(image, '/etc/kiln-cd-marker'), 'from the cd of fixture', 'the cd_content CD was attached and readable');
    const box = join(dir, 'boxes', 'libvirt-fixture.box');
    const members = (await execa('tar', ['tzf', box])).stdout.split('\n').sort();
    assert.equal(members, ['Vagrantfile', 'box.img', 'metadata.json']);

    await writeFile(join(dir, 'template.json'), JSON.stringify(LEGACY_JSON, null, 2));
    const json = await runKiln(['build', '--json', '-var', `iso_url=${iso}`, 'template.json'], { cwd: dir, env });
    const jsonLog = await readFile(join(dir, 'out-json', 'build.log'), 'utf8').catch(() => '');
    assert.is(json.code, 0, `kiln build (JSON) failed:\n${json.stderr}\n--- build.log ---\n${jsonLog}`);
    const cache = eventOf(eventsOf(json.stdout), 'cache');
    assert.ok(cache.resumed_from !== null && Number(cache.cached) >= 1, `the JSON build resumed from the HCL2 build's install: ${JSON.stringify(cache)}`);
    assert.is(await readGuestFile(join(dir, 'out-json', 'fixture-qemu.qcow2'), '/etc/kiln-packer-marker'), 'from-json qemu qemu\n');
    assert.ok((await readdir(join(dir, 'boxes'))).includes('json-libvirt.box'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
