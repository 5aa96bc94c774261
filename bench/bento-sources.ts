// The sources file of the bento-style benchmark folder (bento-template.ts): locals that pick
// each setting from per-distribution variables through conditionals nested one level per
// distribution, per-source objects of overrides, and a qemu and a virtualbox-iso source.

export const DISTRIBUTIONS = ['debian', 'ubuntu', 'almalinux', 'rockylinux', 'centos', 'fedora', 'opensuse', 'oraclelinux', 'amazonlinux', 'freebsd'] as const;
/** Each source kind's prefix for its tunables (`qemu_cpus`, `vbox_cpus`, ...). */
export const SOURCE_PREFIXES = ['qemu', 'vbox'] as const;

/** `var.os_name == "a" ? var.a_FIELD : (var.os_name == "b" ? ... : fallback)`, one level per distribution. */
function byDistribution(field: string, fallback: string): string {
  return DISTRIBUTIONS.reduceRight((rest, d) => `var.os_name == "${d}" ? var.${d}_${field} : (${rest})`, fallback);
}

export function sourcesFile(dataSource: boolean): string {
  const hostOs = dataSource ? 'try(data.host-info.this.os_type, "unknown")' : 'var.host_os == "" ? "unknown" : var.host_os';
  const perSource = SOURCE_PREFIXES.map((prefix) => {
    const pick = (field: string, base: string) => `    ${field} = var.${prefix}_${field} == null ? ${base} : var.${prefix}_${field}`;
    return [
      `  ${prefix} = {`,
      pick('cpus', 'var.cpus'),
      pick('memory', 'local.memory'),
      pick('disk_size', 'var.disk_size'),
      pick('boot_wait', 'local.boot_wait'),
      pick('ssh_timeout', 'var.ssh_timeout'),
      pick('shutdown_timeout', '"5m"'),
      pick('vm_name', 'local.vm_name'),
      pick('output_directory', `"\${local.output_directory}-${prefix}"`),
      '  }',
    ].join('\n');
  });
  return `# Settings worked out from the OS and architecture when the var file leaves them unset.
${dataSource ? '\ndata "host-info" "this" {}\n' : ''}
locals {
  host_os      = ${hostOs}
  iso_url      = var.iso_url == null ? (${byDistribution('iso_url', '"unknown distribution"')}) : var.iso_url
  iso_checksum = var.iso_checksum == null ? (${byDistribution('iso_checksum', '"none"')}) : var.iso_checksum
  boot_command = var.boot_command == null ? (${byDistribution('boot_command', '[]')}) : var.boot_command
  memory       = var.memory == null ? (${byDistribution('memory', '1024')}) : var.memory
  boot_wait    = var.boot_wait == null ? (${byDistribution('boot_wait', '"10s"')}) : var.boot_wait
  os_scripts   = ${byDistribution('scripts', '[]')}
  arch_suffix  = var.os_arch == "x86_64" ? "amd64" : var.os_arch
  vm_name      = var.vm_name == null ? "\${var.os_name}-\${var.os_version}-\${local.arch_suffix}" : var.vm_name
  http_directory   = var.http_directory == null ? "\${path.root}/http" : var.http_directory
  output_directory = var.output_directory == null ? "\${path.root}/../builds/packer-\${local.vm_name}" : var.output_directory
  shutdown_command = var.shutdown_command == null ? "echo '\${var.ssh_username}' | sudo -S /sbin/halt -h -p" : var.shutdown_command
  qemu_binary      = var.qemu_binary == null ? "qemu-system-\${var.os_arch == "aarch64" ? "aarch64" : "x86_64"}" : var.qemu_binary
  qemuargs = var.qemuargs == null ? (
    var.os_arch == "aarch64" ? [["-boot", "strict=off"], ["-machine", "virt,gic-version=max"]] : [["-smp", "\${local.qemu.cpus}"]]
  ) : var.qemuargs
  vbox_guest_os_type = var.vbox_guest_os_type == null ? (
    var.os_name == "debian" ? (var.os_arch == "x86_64" ? "Debian_64" : "Debian_arm64") : (
      var.os_name == "ubuntu" ? (var.os_arch == "x86_64" ? "Ubuntu_64" : "Ubuntu_arm64") : (
        contains(["almalinux", "rockylinux", "centos", "oraclelinux"], var.os_name) ? "RedHat_64" : (
          var.os_name == "fedora" ? "Fedora_64" : (var.os_name == "opensuse" ? "OpenSUSE_64" : (var.os_name == "freebsd" ? "FreeBSD_64" : "Linux_64"))
        )
      )
    )
  ) : var.vbox_guest_os_type
  vboxmanage = var.vboxmanage == null ? [
    ["modifyvm", "{{.Name}}", "--chipset", var.os_arch == "aarch64" ? "armv8virtual" : "ich9"],
    ["modifyvm", "{{.Name}}", "--cpus", "\${local.vbox.cpus}"],
  ] : var.vboxmanage
  source_names = [for s in var.sources_enabled : trimprefix(s, "source.")]
${perSource.join('\n')}
}

source "qemu" "vm" {
  accelerator      = var.qemu_accelerator
  boot_command     = local.boot_command
  boot_wait        = local.qemu.boot_wait
  cpus             = local.qemu.cpus
  disk_size        = local.qemu.disk_size
  display          = var.qemu_display
  headless         = var.headless
  http_directory   = local.http_directory
  iso_checksum     = local.iso_checksum
  iso_url          = local.iso_url
  memory           = local.qemu.memory
  output_directory = local.qemu.output_directory
  qemu_binary      = local.qemu_binary
  qemuargs         = local.qemuargs
  shutdown_command = local.shutdown_command
  shutdown_timeout = local.qemu.shutdown_timeout
  ssh_password     = var.ssh_password
  ssh_port         = var.ssh_port
  ssh_timeout      = local.qemu.ssh_timeout
  ssh_username     = var.ssh_username
  vm_name          = local.qemu.vm_name
}

source "virtualbox-iso" "vm" {
  boot_command         = local.boot_command
  boot_wait            = local.vbox.boot_wait
  cpus                 = local.vbox.cpus
  disk_size            = local.vbox.disk_size
  guest_additions_mode = var.vbox_guest_additions_mode
  guest_os_type        = local.vbox_guest_os_type
  hard_drive_interface = var.vbox_hard_drive_interface
  headless             = var.headless
  http_directory       = local.http_directory
  iso_checksum         = local.iso_checksum
  iso_url              = local.iso_url
  memory               = local.vbox.memory
  output_directory     = local.vbox.output_directory
  shutdown_command     = local.shutdown_command
  shutdown_timeout     = local.vbox.shutdown_timeout
  ssh_password         = var.ssh_password
  ssh_port             = var.ssh_port
  ssh_timeout          = local.vbox.ssh_timeout
  ssh_username         = var.ssh_username
  vboxmanage           = local.vboxmanage
  vm_name              = local.vbox.vm_name
}
`;
}

