// A template file's data once it passed validation: the shapes the schema (schema.ts)
// and the semantic checks guarantee, which normalise.ts turns into the Template.
import type { QemuDiskInterface } from '../hypervisor/qemu/disk-interfaces.js';
import type { VBoxChipset, VBoxDiskInterface, VBoxGraphics, VBoxNicType } from '../hypervisor/virtualbox/spec.js';
import type { Accel, ChecksumType, DiskFormat, Firmware, Hypervisor, VagrantOutput } from './types.js';

export type Scalar = string | number | boolean;

export interface RawSourceFile {
  url?: string;
  urls?: string[];
  path?: string;
  checksum: string;
  backing?: boolean;
}

export interface RawShell {
  inline?: string[];
  script?: string;
  sudo?: boolean;
  env?: Record<string, Scalar>;
  expect_disconnect?: boolean;
  cache?: boolean;
  execute_command?: string;
  inline_shebang?: string;
  valid_exit_codes?: number[];
  pause_before?: string;
  pause_after?: string;
  max_retries?: number;
  timeout?: string;
  start_retry_timeout?: string;
  remote_folder?: string;
  remote_path?: string;
  skip_clean?: boolean;
}

export interface RawAnsible extends RawRunControls {
  playbook_file: string | string[];
  host_alias?: string;
  groups?: string[];
  user?: string;
  become?: boolean;
  extra_arguments?: (string | number)[];
  extra_vars?: Record<string, Scalar>;
  ansible_env_vars?: Record<string, Scalar>;
  galaxy_file?: string;
  roles_path?: string;
  collections_path?: string;
  command?: string;
  cache?: boolean;
}

export interface RawAnsibleLocal extends RawRunControls {
  playbook_file: string | string[];
  playbook_dir?: string;
  group_vars?: string;
  host_vars?: string;
  role_paths?: string[];
  inventory_groups?: string[];
  extra_arguments?: (string | number)[];
  extra_vars?: Record<string, Scalar>;
  galaxy_file?: string;
  command?: string;
  staging_directory?: string;
  clean_staging_directory?: boolean;
  cache?: boolean;
}

/** pause_before, max_retries, timeout as written. */
export interface RawRunControls {
  pause_before?: string;
  max_retries?: number;
  timeout?: string;
}

export interface RawShellLocal {
  inline?: string[];
  script?: string;
  scripts?: string[];
  env?: Record<string, Scalar>;
}

export type RawProvisioner =
  | { shell: RawShell }
  | { file: { source: string; destination: string; direction?: 'upload' | 'download'; cache?: boolean } & RawRunControls }
  | { 'shell-local': RawShellLocal & RawRunControls }
  | { reboot: { command?: string; timeout?: string; pause_before?: string } }
  | { breakpoint: { note?: string; disable?: boolean } }
  | { ansible: RawAnsible }
  | { 'ansible-local': RawAnsibleLocal };

/** A template file's data once it passed validation. */
export interface RawTemplate {
  name: string;
  /** Variable values whose combinations are the template's builds (matrix.ts); the loader expands it. */
  matrix?: Record<string, (string | number | boolean)[]>;
  hypervisor?: Hypervisor;
  source: { iso?: RawSourceFile; disk?: RawSourceFile };
  machine?: {
    cpus?: number;
    memory?: number | string;
    disk?: number | string;
    firmware?: Firmware;
    accel?: Accel;
    disk_discard?: boolean;
    qemu?: { binary?: string; machine?: string; args?: (string | number)[]; disk_interface?: QemuDiskInterface; net_device?: string; cpu_model?: string };
    virtualbox?: { os_type?: string; chipset?: VBoxChipset; graphics?: VBoxGraphics; nic_type?: VBoxNicType; disk_interface?: VBoxDiskInterface; modifyvm?: (string | number)[][] };
  };
  http?: { directory?: string; content?: Record<string, string> };
  cd?: RawMedia;
  floppy?: RawMedia;
  cloud_init?: Record<string, unknown>;
  boot?: { wait?: string; key_interval?: string; command?: string | string[] };
  ssh: 'none' | { username: string; password?: string; private_key?: string; port?: number; timeout?: string };
  proxy?: 'none' | { upstream: string };
  provision?: RawProvisioner[];
  post_process?: RawPostProcessor[];
  shutdown?: { command?: string; timeout?: string };
  cache?: { memory?: boolean };
  output?: { directory?: string; formats?: DiskFormat[]; compress?: boolean; vagrant?: RawVagrant };
}

export type RawPostProcessor =
  | { checksum: { types?: ChecksumType[] } }
  | { manifest: { output?: string; strip_path?: boolean; custom_data?: Record<string, Scalar> } }
  | { 'shell-local': RawShellLocal };

export interface RawMedia {
  label?: string;
  files?: string[];
  content?: Record<string, string>;
}

export interface RawVagrant {
  provider: VagrantOutput['provider'];
  compression?: number;
  vagrantfile?: string;
  layout?: VagrantOutput['layout'];
  output?: string;
}
