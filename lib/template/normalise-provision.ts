// The provision list of valid template data -> the resolved provisioners (normalise.ts's
// part for `provision`): Packer's defaults filled in, durations in ms, host paths absolute.
import { duration, hostPath, optionalDuration, strings } from './normalise-values.js';
import { resolvePath } from './paths.js';
import type { RawAnsible, RawAnsibleLocal, RawRunControls, RawShellLocal, RawTemplate } from './raw-template.js';
import type { AnsibleLocalProvisioner, AnsibleProvisioner, Provisioner, RunControls, ShellProvisioner } from './types.js';

/** A shell provisioner's run options when the template does not set them (Packer's defaults). */
export const SHELL_RUN_DEFAULTS = {
  valid_exit_codes: [0],
  pause_before_ms: 0,
  pause_after_ms: 0,
  max_retries: 0,
  start_retry_timeout_ms: 5 * 60_000,
  remote_folder: '/tmp',
  skip_clean: false,
} as const satisfies Partial<ShellProvisioner>;

/** An ansible provisioner's options when the template does not set them (Packer's defaults). */
export const ANSIBLE_DEFAULTS = {
  host_alias: 'default',
  groups: [],
  become: false,
  extra_arguments: [],
  extra_vars: {},
  ansible_env_vars: {},
  command: 'ansible-playbook',
  pause_before_ms: 0,
  max_retries: 0,
} as const satisfies Partial<AnsibleProvisioner>;

export function provisioner(dir: string, raw: NonNullable<RawTemplate['provision']>[number]): Provisioner {
  if ('file' in raw) {
    const { file } = raw;
    const common = { ...runControls(file), ...(file.cache === false ? { cache: false } : {}) };
    if (file.direction === 'download') {
      return { type: 'file', direction: 'download', source: file.source, destination: hostPath(dir, file.destination), ...common };
    }
    return { type: 'file', direction: 'upload', source: hostPath(dir, file.source), destination: file.destination, ...common };
  }
  if ('shell-local' in raw) return { type: 'shell-local', ...shellLocalCommands(dir, raw['shell-local']), ...runControls(raw['shell-local']) };
  if ('reboot' in raw) {
    const { reboot } = raw;
    return { type: 'reboot', command: reboot.command ?? 'sudo reboot', timeout_ms: duration(reboot.timeout, '5m'), pause_before_ms: optionalDuration(reboot.pause_before) ?? 0 };
  }
  if ('breakpoint' in raw) {
    const { breakpoint } = raw;
    return { type: 'breakpoint', ...(breakpoint.note !== undefined ? { note: breakpoint.note } : {}), disable: breakpoint.disable ?? false };
  }
  if ('ansible' in raw) return ansible(dir, raw.ansible);
  if ('ansible-local' in raw) return ansibleLocal(dir, raw['ansible-local']);
  const { shell } = raw;
  return {
    type: 'shell',
    ...(shell.inline ? { inline: [...shell.inline] } : {}),
    ...(shell.script !== undefined ? { script: resolvePath(dir, shell.script) } : {}),
    sudo: shell.sudo ?? false,
    env: Object.fromEntries(Object.entries(shell.env ?? {}).map(([k, v]) => [k, String(v)])),
    expect_disconnect: shell.expect_disconnect ?? false,
    ...(shell.cache === false ? { cache: false } : {}),
    ...(shell.execute_command !== undefined ? { execute_command: shell.execute_command } : {}),
    ...(shell.inline_shebang !== undefined ? { inline_shebang: shell.inline_shebang } : {}),
    valid_exit_codes: [...(shell.valid_exit_codes ?? SHELL_RUN_DEFAULTS.valid_exit_codes)],
    pause_before_ms: optionalDuration(shell.pause_before) ?? SHELL_RUN_DEFAULTS.pause_before_ms,
    pause_after_ms: optionalDuration(shell.pause_after) ?? SHELL_RUN_DEFAULTS.pause_after_ms,
    max_retries: shell.max_retries ?? SHELL_RUN_DEFAULTS.max_retries,
    ...(shell.timeout !== undefined ? { timeout_ms: optionalDuration(shell.timeout)! } : {}),
    start_retry_timeout_ms: optionalDuration(shell.start_retry_timeout) ?? SHELL_RUN_DEFAULTS.start_retry_timeout_ms,
    remote_folder: shell.remote_folder ?? SHELL_RUN_DEFAULTS.remote_folder,
    ...(shell.remote_path !== undefined ? { remote_path: shell.remote_path } : {}),
    skip_clean: shell.skip_clean ?? SHELL_RUN_DEFAULTS.skip_clean,
  };
}

const playbookFiles = (dir: string, written: string | string[]): string[] => (typeof written === 'string' ? [written] : written).map((p) => resolvePath(dir, p));

/** pause_before, max_retries and timeout, with Packer's defaults (no pause, no retry, no limit). */
const runControls = (raw: RawRunControls): RunControls => ({
  pause_before_ms: optionalDuration(raw.pause_before) ?? 0,
  max_retries: raw.max_retries ?? 0,
  ...(raw.timeout !== undefined ? { timeout_ms: optionalDuration(raw.timeout)! } : {}),
});

/** inline, or script/scripts as absolute paths; and env as strings. */
export function shellLocalCommands(dir: string, raw: RawShellLocal): { inline?: string[]; scripts?: string[]; env: Record<string, string> } {
  const scripts = raw.scripts ?? (raw.script !== undefined ? [raw.script] : undefined);
  return {
    ...(raw.inline ? { inline: [...raw.inline] } : {}),
    ...(scripts ? { scripts: scripts.map((s) => resolvePath(dir, s)) } : {}),
    env: strings(raw.env),
  };
}

function ansibleLocal(dir: string, raw: RawAnsibleLocal): AnsibleLocalProvisioner {
  const path = (key: 'playbook_dir' | 'group_vars' | 'host_vars' | 'galaxy_file') => (raw[key] !== undefined ? { [key]: resolvePath(dir, raw[key]) } : {});
  return {
    type: 'ansible-local',
    playbook_files: playbookFiles(dir, raw.playbook_file),
    ...path('playbook_dir'),
    ...path('group_vars'),
    ...path('host_vars'),
    role_paths: (raw.role_paths ?? []).map((r) => resolvePath(dir, r)),
    inventory_groups: [...(raw.inventory_groups ?? [])],
    extra_arguments: (raw.extra_arguments ?? []).map(String),
    extra_vars: strings(raw.extra_vars),
    ...path('galaxy_file'),
    command: raw.command ?? 'ansible-playbook',
    ...(raw.staging_directory !== undefined ? { staging_directory: raw.staging_directory } : {}),
    clean_staging_directory: raw.clean_staging_directory ?? true,
    ...runControls(raw),
    ...(raw.cache === false ? { cache: false } : {}),
  };
}

function ansible(dir: string, raw: RawAnsible): AnsibleProvisioner {
  return {
    type: 'ansible',
    playbook_files: playbookFiles(dir, raw.playbook_file),
    host_alias: raw.host_alias ?? ANSIBLE_DEFAULTS.host_alias,
    groups: [...(raw.groups ?? [])],
    ...(raw.user !== undefined ? { user: raw.user } : {}),
    become: raw.become ?? ANSIBLE_DEFAULTS.become,
    extra_arguments: (raw.extra_arguments ?? []).map(String),
    extra_vars: strings(raw.extra_vars),
    ansible_env_vars: strings(raw.ansible_env_vars),
    ...(raw.galaxy_file !== undefined ? { galaxy_file: resolvePath(dir, raw.galaxy_file) } : {}),
    ...(raw.roles_path !== undefined ? { roles_path: resolvePath(dir, raw.roles_path) } : {}),
    ...(raw.collections_path !== undefined ? { collections_path: resolvePath(dir, raw.collections_path) } : {}),
    command: raw.command ?? ANSIBLE_DEFAULTS.command,
    ...runControls(raw),
    ...(raw.cache === false ? { cache: false } : {}),
  };
}

