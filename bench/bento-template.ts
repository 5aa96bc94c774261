// A bento-style Packer HCL2 folder for the validate/inspect benchmark, larger than the test
// fixture: three template files, 100+ variables (per-distribution tables as older bento
// kept them), locals that nest conditionals ten deep and depend on each other, a
// .pkrvars.hcl per distribution, and the scripts and http folder the template names, so
// both tools validate it cleanly. Pure: returns the files as relative path -> text.
//
// The folder is written in its current form, which uses three things Packer 1.6.6 predates
// (NEWER_FEATURES, each read by kiln): a `packer` block with `required_plugins` (Packer 1.7),
// a `data` source read through try() (Packer 1.7), and `sources = var.sources_enabled`
// (1.6.6 wants a literal list: "Variables not allowed"). Leaving all three out gives the
// variant Packer 1.6.6 accepts; leaving out all but one shows what 1.6.6 says about it.

import { DISTRIBUTIONS, SOURCE_PREFIXES, sourcesFile } from './bento-sources.js';

export const NEWER_FEATURES = ['required_plugins', 'data source', 'variable sources'] as const;
export type NewerFeature = (typeof NEWER_FEATURES)[number];

/** Per-distribution settings, one variable each: `<distribution>_<field>`. */
const PER_DISTRIBUTION = ['iso_url', 'iso_checksum', 'boot_command', 'memory', 'boot_wait', 'scripts'] as const;
/** Tunables each source kind has (`qemu_*`, `vbox_*`), all null unless a var file sets them. */
const PER_SOURCE = ['cpus', 'memory', 'disk_size', 'boot_wait', 'ssh_timeout', 'shutdown_timeout', 'vm_name', 'output_directory'] as const;
/** A checksum that is a checksum: Packer 1.6.6 downloads `file:` checksums during validate, and the benchmark runs offline. */
const ISO_CHECKSUM = `sha256:${'5e'.repeat(32)}`;

export function bentoTemplate(features: ReadonlySet<NewerFeature> = new Set(NEWER_FEATURES)): Record<string, string> {
  const files: Record<string, string> = {
    'packer_templates/pkr-variables.pkr.hcl': variablesFile(),
    'packer_templates/pkr-sources.pkr.hcl': sourcesFile(features.has('data source')),
    'packer_templates/pkr-builder.pkr.hcl': builderFile(features.has('required_plugins'), features.has('variable sources')),
  };
  for (const script of ['_common/sshd', '_common/vagrant', '_common/minimize', ...DISTRIBUTIONS.flatMap((d) => [`${d}/update_${d}`, `${d}/cleanup_${d}`])]) {
    files[`packer_templates/scripts/${script}.sh`] = '#!/bin/sh -eux\ntrue\n';
  }
  for (const distribution of DISTRIBUTIONS) {
    // The answer file each boot command fetches (kiln checks that the http folder serves it).
    files[`packer_templates/http/${distribution}.cfg`] = `# ${distribution} unattended install\n`;
    files[`os_pkrvars/${distribution}/${distribution}-x86_64.pkrvars.hcl`] = [
      `os_name    = "${distribution}"`,
      `os_version = "1.${DISTRIBUTIONS.indexOf(distribution)}"`,
      'os_arch    = "x86_64"',
      `${distribution}_memory = 2048`,
      'vbox_cpus = 4',
      '',
    ].join('\n');
  }
  return files;
}

/** The number of `variable` blocks bentoTemplate writes. */
export const VARIABLE_COUNT = commonVariables().length + DISTRIBUTIONS.length * PER_DISTRIBUTION.length + SOURCE_PREFIXES.length * PER_SOURCE.length;

function commonVariables(): string[] {
  const typed = (name: string, type: string, value: string) => `variable "${name}" {\n  type    = ${type}\n  default = ${value}\n}\n`;
  return [
    'variable "os_name" {\n  type        = string\n  description = "Distribution name, one of the per-distribution tables below"\n}\n',
    'variable "os_version" {\n  type = string\n}\n',
    'variable "os_arch" {\n  type = string\n  validation {\n    condition     = var.os_arch == "x86_64" || var.os_arch == "aarch64"\n    error_message = "The os_arch must be x86_64 or aarch64."\n  }\n}\n',
    typed('is_windows', 'bool', 'false'),
    typed('sources_enabled', 'list(string)', '["source.qemu.vm", "source.virtualbox-iso.vm"]'),
    ...['vm_name', 'boot_wait', 'iso_url', 'iso_checksum', 'http_directory', 'shutdown_command', 'output_directory', 'qemu_binary', 'vbox_guest_os_type'].map((n) => typed(n, 'string', 'null')),
    typed('memory', 'number', 'null'),
    ...['boot_command', 'scripts'].map((n) => typed(n, 'list(string)', 'null')),
    ...['qemuargs', 'vboxmanage'].map((n) => typed(n, 'list(list(string))', 'null')),
    typed('cpus', 'number', '2'),
    typed('disk_size', 'number', '65536'),
    typed('headless', 'bool', 'true'),
    typed('ssh_username', 'string', '"vagrant"'),
    'variable "ssh_password" {\n  type      = string\n  default   = "vagrant"\n  sensitive = true\n}\n',
    typed('ssh_timeout', 'string', '"15m"'),
    typed('ssh_port', 'number', '22'),
    typed('http_proxy', 'string', 'env("http_proxy")'),
    typed('https_proxy', 'string', 'env("https_proxy")'),
    typed('host_os', 'string', 'env("HOST_OS")'), // env() is Packer's in variable defaults only
    typed('no_proxy', 'string', '"localhost,127.0.0.1"'),
    typed('qemu_accelerator', 'string', '"kvm"'),
    typed('qemu_display', 'string', '"none"'),
    typed('vbox_guest_additions_mode', 'string', '"disable"'),
    typed('vbox_hard_drive_interface', 'string', '"sata"'),
    'variable "box_compression_level" {\n  type    = number\n  default = 9\n  validation {\n    condition     = var.box_compression_level >= 0 && var.box_compression_level <= 9\n    error_message = "The box_compression_level must be between 0 and 9."\n  }\n}\n',
  ];
}

function variablesFile(): string {
  const blocks = [...commonVariables()];
  for (const d of DISTRIBUTIONS) {
    blocks.push(`variable "${d}_iso_url" {\n  type    = string\n  default = "https://mirror.example/${d}/x86_64/${d}-netinst.iso"\n}\n`);
    blocks.push(`variable "${d}_iso_checksum" {\n  type    = string\n  default = "${ISO_CHECKSUM}"\n}\n`);
    blocks.push(`variable "${d}_boot_command" {\n  type    = list(string)\n  default = ["<wait><esc><wait>auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/${d}.cfg hostname={{ .Name }}<enter>"]\n}\n`);
    blocks.push(`variable "${d}_memory" {\n  type    = number\n  default = ${d === 'freebsd' ? 1024 : 1536}\n}\n`);
    blocks.push(`variable "${d}_boot_wait" {\n  type    = string\n  default = "${d === 'ubuntu' ? '5s' : '10s'}"\n}\n`);
    blocks.push(`variable "${d}_scripts" {\n  type    = list(string)\n  default = ["update_${d}.sh", "cleanup_${d}.sh"]\n}\n`);
  }
  for (const prefix of SOURCE_PREFIXES) {
    for (const field of PER_SOURCE) {
      const type = ['cpus', 'memory', 'disk_size'].includes(field) ? 'number' : 'string';
      blocks.push(`variable "${prefix}_${field}" {\n  type    = ${type}\n  default = null\n}\n`);
    }
  }
  return `# Every setting a box can change; per-distribution values below, overrides in os_pkrvars.\n\n${blocks.join('\n')}`;
}

function builderFile(requiredPlugins: boolean, variableSources: boolean): string {
  const packerBlock = `packer {
  required_version = ">= 1.7.0"
  required_plugins {
    qemu = {
      version = ">= 1.1.0"
      source  = "github.com/hashicorp/qemu"
    }
    virtualbox = {
      version = ">= 1.0.5"
      source  = "github.com/hashicorp/virtualbox"
    }
    vagrant = {
      version = ">= 1.1.1"
      source  = "github.com/hashicorp/vagrant"
    }
  }
}

`;
  const sources = variableSources ? 'var.sources_enabled' : '["source.qemu.vm", "source.virtualbox-iso.vm"]';
  return `${requiredPlugins ? packerBlock : ''}locals {
  scripts = var.scripts == null ? concat(
    ["\${path.root}/scripts/_common/sshd.sh", "\${path.root}/scripts/_common/vagrant.sh"],
    [for s in local.os_scripts : "\${path.root}/scripts/\${var.os_name}/\${s}"],
    ["\${path.root}/scripts/_common/minimize.sh"],
  ) : var.scripts
}

build {
  sources = ${sources}

  provisioner "shell" {
    environment_vars = [
      "HOME_DIR=/home/\${var.ssh_username}",
      "http_proxy=\${var.http_proxy}",
      "https_proxy=\${var.https_proxy}",
      "no_proxy=\${var.no_proxy}",
      "HOST_OS=\${local.host_os}",
    ]
    execute_command   = "echo '\${var.ssh_username}' | {{ .Vars }} sudo -S -E sh -eux '{{ .Path }}'"
    expect_disconnect = true
    scripts           = local.scripts
    except            = var.is_windows ? local.source_names : null
  }

  provisioner "shell" {
    inline = ["echo built \${source.type}.\${source.name} for \${build.name == "" ? "bento" : build.name}"]
    override = {
      "virtualbox-iso.vm" = {
        execute_command = "sudo -E sh '{{ .Path }}'"
      }
    }
  }

  post-processor "vagrant" {
    compression_level = var.box_compression_level
    output            = "\${path.root}/../builds/\${local.vm_name}.{{ .Provider }}.box"
  }
}
`;
}
