// The resolved template: what a build runs from after loading, validation, variable
// substitution and normalisation (durations in ms, sizes in bytes/MiB, paths absolute).
// Key names follow the template file (snake_case) so docs and code read the same.
// Build-time placeholders ({{ .HTTPIP }}, {{ .HTTPPort }}, ...) are still present in
// strings; lib/template/render.ts fills them when the values are known.
import type { CloudInitSpec } from '../cloud-init/types.js';
import type { Issue } from '../errors.js';
import type { MediaSpec } from '../media/types.js';

import type { QemuDiskInterface } from '../hypervisor/qemu/disk-interfaces.js';
import type { VBoxChipset, VBoxDiskInterface, VBoxGraphics, VBoxNicType } from '../hypervisor/virtualbox/spec.js';
import type { ChecksumType, CompressFormat, CpuLevel, DiskFormat, Accel, Firmware, Hypervisor, VagrantProvider } from './enums.js';
import type { PluginStep, Provisioner } from './provision-types.js';

export type {
  AnsibleLocalProvisioner,
  AnsibleProvisioner,
  BreakpointProvisioner,
  FileProvisioner,
  PluginStep,
  Provisioner,
  RebootProvisioner,
  RunControls,
  ShellLocalProvisioner,
  ShellProvisioner,
} from './provision-types.js';

export { CHECKSUM_TYPES } from './enums.js';
export type { Accel, ChecksumType, CompressFormat, DiskFormat, Firmware, Hypervisor, VagrantProvider } from './enums.js';
export type BootWaitKind = 'wait' | 'waitHttp' | 'waitSerial' | 'waitScreen';
export type ChecksumAlgorithm = 'sha256' | 'sha512' | 'sha1' | 'md5';

/** `sha256:<hex>` etc., `file:<url-or-path>` (a SUMS file), or `none`. */
export type ChecksumSpec =
  | { kind: 'digest'; algorithm: ChecksumAlgorithm; hex: string }
  | { kind: 'file'; location: string; algorithm?: ChecksumAlgorithm }
  | { kind: 'none' };

export interface SourceFile {
  /** Tried in order: http(s) URLs or absolute local paths (relative ones resolved against the template dir). */
  urls: string[];
  checksum: ChecksumSpec;
}

export interface DiskSource extends SourceFile {
  backing: boolean;
}

export interface Machine {
  cpus: number;
  memory_mib: number;
  disk_bytes: number;
  firmware: Firmware;
  accel: Accel;
  /**
   * The disk passes the guest's discard (TRIM) requests through to the image file, as
   * kiln's QEMU drive does (discard=unmap): shrinking then runs fstrim in the guest
   * instead of writing zeros over the free space.
   */
  disk_discard: boolean;
  qemu: {
    binary: string;
    machine: string;
    args: string[];
    /** How the guest sees its disk (it decides the device name an installer writes to: vda or sda). */
    disk_interface: QemuDiskInterface;
    /** The NIC model; absent: virtio-net-pci. */
    net_device?: string;
    /** Absent: chosen from the accelerator and cpu_level (host under KVM/HVF, max under WHPX). */
    cpu_model?: string;
    /** The x86-64 level the guest needs; under TCG kiln emulates the cheapest CPU that has it. Absent: x86-64. */
    cpu_level?: CpuLevel;
  };
  virtualbox: VirtualBoxMachine;
}

/** machine.virtualbox, with the driver's defaults (VM_DEFAULTS) filled in. */
export interface VirtualBoxMachine {
  os_type: string;
  chipset: VBoxChipset;
  /** The graphics controller. */
  graphics: VBoxGraphics;
  nic_type: VBoxNicType;
  /** The disk's storage controller; the installer ISO is always on IDE. */
  disk_interface: VBoxDiskInterface;
  modifyvm: string[][];
}



/** `<TYPE>SUMS` files beside the artifacts. */
export interface ChecksumPostProcessor {
  type: 'checksum';
  types: ChecksumType[];
}

/** Packer's manifest post-processor: a JSON file builds are appended to. */
export interface ManifestPostProcessor {
  type: 'manifest';
  /** Absolute path of the manifest file. */
  output: string;
  strip_path: boolean;
  custom_data: Record<string, string>;
}

/** Commands run on the host, in the template's directory. */
export interface ShellLocalPostProcessor {
  type: 'shell-local';
  /** Joined with newlines and run by /bin/sh -c. */
  inline?: string[];
  /** Absolute paths of local scripts, each run by /bin/sh in order. */
  scripts?: string[];
  env: Record<string, string>;
}


/** The artifacts as one tar.gz, or each as a .gz or .zst, in the output directory. */
export interface CompressPostProcessor {
  type: 'compress';
  format: CompressFormat;
  /** gzip 1-9, zstd 1-19. */
  level: number;
  /** tar.gz: the archive's name in the output directory. */
  output: string;
  /** false: the originals are deleted once compressed (Packer's keep_input_artifact default). */
  keep_originals: boolean;
}

export type PostProcessor = ChecksumPostProcessor | ManifestPostProcessor | ShellLocalPostProcessor | CompressPostProcessor | PluginStep;

export interface SshConfig {
  username: string;
  password?: string;
  /** Absolute path of a private key file. */
  private_key?: string;
  port: number;
  timeout_ms: number;
}

export interface Template {
  name: string;
  /** Absolute path of the template file; relative paths in it are resolved against its directory. */
  file: string;
  dir: string;
  /** Resolved variable values. */
  variables: Record<string, string>;
  /** Values never printed or logged: sensitive variables' values, a front end's secrets (none empty). */
  secrets: string[];
  hypervisor: Hypervisor;
  /** What the build starts from: an installer ISO to boot once, or a cloud image that becomes the disk. */
  source: ({ kind: 'iso' } & SourceFile) | ({ kind: 'disk' } & DiskSource);
  machine: Machine;
  http: {
    /** Absolute path, or undefined when nothing is served from disk. */
    directory?: string;
    /** URL path ("/ks.cfg") -> template string rendered at build time. */
    content: Record<string, string>;
  };
  boot: {
    /** Milliseconds to wait before typing, or 'auto'. */
    wait: number | 'auto';
    key_interval_ms: number;
    /** The boot command lines, unrendered (placeholders still in them). */
    command: string[];
    /** The kinds of wait the command uses (<waitScreen> needs OCR), from the loader's parse. */
    waits: BootWaitKind[];
  };
  /** Extra media the installer reads (kickstart on a CD labelled OEMDRV, answer files on a floppy). */
  cd?: MediaSpec;
  floppy?: MediaSpec;
  /** null when `ssh: none`. */
  ssh: SshConfig | null;
  /**
   * The proxy downloads go through, over the environment's (--proxy overrides it): null
   * for `proxy: none`, absent when the template does not say (lib/source/proxy-settings.ts).
   * cache: the guest's downloads go through kiln's package cache (lib/package-cache/).
   */
  proxy?: { upstream?: string; cache: boolean } | null;
  provision: Provisioner[];
  /** Run in order after export (and the Vagrant box), before manifest.json. */
  post_process: PostProcessor[];
  /** The stage cache. memory: live checkpoints keep the guest's memory, so a rebuild restores the running guest instead of booting its disk. */
  cache: { memory: boolean };
  shutdown: {
    /** null: ACPI power button through the hypervisor. */
    command: string | null;
    timeout_ms: number;
  };
  output: {
    /** Absolute path (placeholders rendered). */
    directory: string;
    formats: DiskFormat[];
    compress: boolean;
    /** Also write NAME.<provider>.box. */
    vagrant?: VagrantOutput;
  };
  /** The NoCloud seed (lib/cloud-init), placeholders still in its strings. */
  cloud_init?: CloudInitSpec;
  /** Validation warnings (legal but probably unmeant), for the CLI to show; absent when none. */
  warnings?: Issue[];
}


export interface VagrantOutput {
  provider: VagrantProvider;
  /**
   * gzip level of the .box: 0 (stored) to 9. Unset: stored when the disk inside is
   * compressed already (a compressed qcow2, a streamOptimized VMDK), else 6.
   */
  compression?: number;
  /** Absolute path of a Vagrantfile fragment appended inside the box's Vagrantfile. */
  vagrantfile?: string;
  /**
   * libvirt metadata.json layout: v1 is {format, virtual_size} (what vagrant-libvirt
   * writes and reads by default up to 0.11), v2 lists the disks.
   */
  layout: 'v1' | 'v2';
  /**
   * Packer's vagrant `output`: the box is also placed here (a hard link when it can be),
   * rendered with {{ .Provider }}/{{ .BuildName }}/{{ .Name }}, relative to the template.
   */
  output?: string;
}

/** Values for the build-time placeholders, with Packer's names. */
export interface PlaceholderValues {
  HTTPIP: string;
  HTTPPort: number | string;
  Name: string;
  SSHPublicKey: string;
  OutputDir: string;
  CloudInitURL: string;
  /** The build's upstream proxy as the guest reaches it (10.0.2.2 for this host's loopback), or ''. */
  HTTPProxy: string;
  /** kiln's package cache as the guest reaches it (http://10.0.2.2:PORT) with proxy: cache, or ''. */
  ProxyURL: string;
  /** Only where SCOPED_PLACEHOLDERS (expressions.ts) are allowed: set by the step that renders that key. */
  Vars?: string;
  Path?: string;
  Provider?: string;
  BuildName?: string;
}
