// The provisioners of a resolved template (types.ts re-exports them): what each kind
// runs, with defaults filled in, durations in ms and host paths absolute.

export interface ShellProvisioner {
  type: 'shell';
  inline?: string[];
  /** Absolute path of a local script. */
  script?: string;
  sudo: boolean;
  env: Record<string, string>;
  expect_disconnect: boolean;
  /** false: this provisioner and every later one always run, never resumed from the cache. */
  cache?: boolean;
  /** Packer's execute_command: runs the script instead of kiln's own command ({{ .Path }}, {{ .Vars }} filled in). */
  execute_command?: string;
  /** The first line of an inline script, without "#!"; absent: /bin/sh with set -e. */
  inline_shebang?: string;
  valid_exit_codes: number[];
  pause_before_ms: number;
  pause_after_ms: number;
  max_retries: number;
  /** Absent: no limit. */
  timeout_ms?: number;
  /** How long starting the script is retried while the guest does not answer. */
  start_retry_timeout_ms: number;
  /** Where the script goes in the guest: remote_path, else a fresh name in remote_folder. */
  remote_folder: string;
  remote_path?: string;
  skip_clean: boolean;
}

export interface FileProvisioner extends RunControls {
  type: 'file';
  /**
   * Absolute local path: a file, or a directory uploaded recursively. A directory with a
   * trailing slash uploads its contents into destination; without, the directory itself.
   */
  source: string;
  destination: string;
  /** download: source is in the guest, destination an absolute host path. */
  direction: 'upload' | 'download';
  /** false: this provisioner and every later one always run, never resumed from the cache. */
  cache?: boolean;
}

/**
 * Runs ansible-playbook on the host against the guest, straight to the forwarded SSH
 * port with the build's key or password (lib/provision/ansible).
 */
export interface AnsibleProvisioner extends RunControls {
  type: 'ansible';
  /** Absolute paths of the playbooks, run in order by one ansible-playbook. */
  playbook_files: string[];
  /** The guest's name in the generated inventory. */
  host_alias: string;
  /** Inventory groups the guest is in. */
  groups: string[];
  /** Absent: ssh.username. */
  user?: string;
  become: boolean;
  /** Passed to ansible-playbook after kiln's own arguments. */
  extra_arguments: string[];
  /** Given as one --extra-vars JSON object. */
  extra_vars: Record<string, string>;
  /** Added to ansible-playbook's environment, over kiln's. */
  ansible_env_vars: Record<string, string>;
  /** Absolute path of a requirements file ansible-galaxy installs into the build's own folder. */
  galaxy_file?: string;
  /** Absolute paths searched for roles and collections before the installed ones. */
  roles_path?: string;
  collections_path?: string;
  /** The program, e.g. ansible-playbook or a wrapper script. */
  command: string;
  /** false: this provisioner and every later one always run, never resumed from the cache. */
  cache?: boolean;
}

/** Uploads a playbook to a staging folder in the guest and runs the guest's own ansible-playbook there. */
export interface AnsibleLocalProvisioner extends RunControls {
  type: 'ansible-local';
  /** Absolute host paths, uploaded into the staging folder and run in order. */
  playbook_files: string[];
  /** Absolute host folder whose contents become the staging folder's. */
  playbook_dir?: string;
  group_vars?: string;
  host_vars?: string;
  /** Absolute host folders, each uploaded as roles/<its name>. */
  role_paths: string[];
  inventory_groups: string[];
  extra_arguments: string[];
  extra_vars: Record<string, string>;
  galaxy_file?: string;
  /** The guest's command line for ansible-playbook. */
  command: string;
  /** Absent: a fresh /tmp/kiln-ansible-local-<random>. */
  staging_directory?: string;
  clean_staging_directory: boolean;
  cache?: boolean;
}

/** Packer's pause_before, max_retries and timeout (absent: no limit), as every kind but shell, reboot and breakpoint takes them. */
export interface RunControls {
  pause_before_ms: number;
  max_retries: number;
  timeout_ms?: number;
}

/** Stops the build until Enter is pressed, saying how to reach the guest. */
export interface BreakpointProvisioner {
  type: 'breakpoint';
  note?: string;
  disable: boolean;
}

/** Reboots the guest and waits for SSH to come back. */
export interface RebootProvisioner {
  type: 'reboot';
  command: string;
  /** How long to wait for the guest to answer SSH again. */
  timeout_ms: number;
  pause_before_ms: number;
}

/** Commands on the host while the guest runs, with the guest's SSH address in the environment. */
export interface ShellLocalProvisioner extends RunControls {
  type: 'shell-local';
  inline?: string[];
  /** Absolute paths of local scripts, each run by /bin/sh in order. */
  scripts?: string[];
  env: Record<string, string>;
}

/** A provisioner or post-processor kind a template's plugin gave (lib/plugins). */
export interface PluginStep {
  type: 'plugin';
  /** The kind's name, the key the template wrote. */
  kind: string;
  /** Absolute path of the plugin module that gives the kind. */
  module: string;
  /** As written; the kind's schema validated them. */
  options: Record<string, unknown>;
  /** false: never cached. Else the stage key holds these besides the options: files' contents and values. */
  cache: false | { files: string[]; values: unknown };
}

export type Provisioner =
  | PluginStep
  | ShellProvisioner
  | FileProvisioner
  | AnsibleProvisioner
  | AnsibleLocalProvisioner
  | BreakpointProvisioner
  | RebootProvisioner
  | ShellLocalProvisioner;
