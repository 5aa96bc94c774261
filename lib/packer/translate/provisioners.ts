// Packer provisioners -> kiln's provision list: shell and file (one kiln entry per script
// or source file, each with the block's options), ansible, ansible-local, shell-local and
// breakpoint.
import { formatPath, type Segment } from '../../template/finding.js';
import type { PluginConfig, Setting } from '../model.js';
import { applyTable, booleanTo, durationTo, integerTo, noted, readElsewhere, refused, settingOf, stringListTo, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { packerBuildName } from './output.js';
import { blockName, type Translator } from './translator.js';
import { blockEnvironment, readEnvironmentVars, readInteger, readString, readStringList } from './values.js';

const validExitCodes: KeyHandler = (t, setting, key, at) => {
  const list = Array.isArray(setting.value) ? setting.value : [setting.value];
  const codes = list.map((value) => readInteger(t, key, { value, pos: setting.pos }));
  if (codes.every((c) => c !== undefined)) t.set([...at, 'valid_exit_codes'], codes, setting.pos);
};

const SHELL_KEYS: KeyTable = {
  inline: readElsewhere,
  script: readElsewhere,
  scripts: readElsewhere,
  environment_vars: readElsewhere,
  env: readElsewhere,
  execute_command: stringTo('execute_command'),
  inline_shebang: stringTo('inline_shebang'),
  remote_folder: stringTo('remote_folder'),
  remote_path: stringTo('remote_path'),
  remote_file: noted('kiln names the uploaded script itself; remote_path sets the whole path'),
  skip_clean: booleanTo('skip_clean'),
  start_retry_timeout: durationTo('start_retry_timeout'),
  expect_disconnect: booleanTo('expect_disconnect'),
  valid_exit_codes: validExitCodes,
  pause_before: durationTo('pause_before'),
  pause_after: durationTo('pause_after'),
  max_retries: integerTo('max_retries'),
  timeout: durationTo('timeout'),
  binary: noted('kiln uploads scripts as they are'),
  use_env_var_file: noted('kiln exports env inside the command'),
  env_var_format: noted('kiln exports env inside the command'),
};

const FILE_KEYS: KeyTable = {
  source: readElsewhere,
  sources: readElsewhere,
  destination: stringTo('destination'),
  direction: stringTo('direction'),
  generated: noted('kiln checks that the source exists when the template is validated: make it before the build'),
  content: readElsewhere,
  pause_before: durationTo('pause_before'),
  max_retries: integerTo('max_retries'),
  timeout: durationTo('timeout'),
};

const RUN_CONTROLS: KeyTable = { pause_before: durationTo('pause_before'), max_retries: integerTo('max_retries'), timeout: durationTo('timeout') };

const envVarsTo =
  (to: string): KeyHandler =>
  (t, setting, key, at) => {
    const env = readEnvironmentVars(t, key, setting);
    if (env) t.set([...at, to], env, setting.pos);
  };

const DIRECT = 'kiln runs ansible straight to the guest\'s forwarded SSH port with the build\'s key: there is no proxy';
const OWN_INVENTORY = 'kiln writes the inventory into the build\'s work folder and shows it in build.log';

const ANSIBLE_KEYS: KeyTable = {
  ...RUN_CONTROLS,
  playbook_file: stringTo('playbook_file'),
  command: stringTo('command'),
  extra_arguments: stringListTo('extra_arguments'),
  ansible_env_vars: envVarsTo('ansible_env_vars'),
  groups: stringListTo('groups'),
  host_alias: stringTo('host_alias'),
  user: stringTo('user'),
  galaxy_file: stringTo('galaxy_file'),
  roles_path: stringTo('roles_path'),
  collections_path: stringTo('collections_path'),
  limit: readElsewhere,
  empty_groups: noted('kiln puts the guest in groups only; a play for an empty group runs on no host either way'),
  galaxy_command: noted('kiln runs ansible-galaxy from PATH'),
  galaxy_force_install: noted('kiln installs galaxy_file into a fresh folder of each build'),
  galaxy_force_with_deps: noted('kiln installs galaxy_file into a fresh folder of each build'),
  use_proxy: noted(DIRECT),
  local_port: noted(DIRECT),
  ansible_proxy_key_type: noted(DIRECT),
  ansible_ssh_extra_args: noted('kiln gives ssh its own options (no host key checks, the build\'s key); put others in ansible.cfg'),
  ssh_host_key_file: noted('kiln does not check the guest\'s host key'),
  ssh_authorized_key_file: noted('kiln logs in with the build\'s own key or ssh.password'),
  use_sftp: noted('ansible copies files with its own defaults'),
  sftp_command: noted('ansible copies files with its own defaults'),
  skip_version_check: noted('kiln does not check the ansible version'),
  inventory_directory: noted(OWN_INVENTORY),
  inventory_file_template: noted(OWN_INVENTORY),
  keep_inventory_file: noted(OWN_INVENTORY),
  inventory_file: refused('kiln generates the inventory for the guest: use groups and host_alias'),
  use_http: refused('kiln builds over SSH, not WinRM: remove it'),
};

const ANSIBLE_LOCAL_KEYS: KeyTable = {
  ...RUN_CONTROLS,
  playbook_file: readElsewhere,
  playbook_files: readElsewhere,
  inventory_groups: readElsewhere,
  command: stringTo('command'),
  extra_arguments: stringListTo('extra_arguments'),
  playbook_dir: stringTo('playbook_dir'),
  group_vars: stringTo('group_vars'),
  host_vars: stringTo('host_vars'),
  role_paths: stringListTo('role_paths'),
  galaxy_file: stringTo('galaxy_file'),
  staging_directory: stringTo('staging_directory'),
  clean_staging_directory: booleanTo('clean_staging_directory'),
  galaxy_command: noted('kiln runs the guest\'s ansible-galaxy'),
  galaxy_roles_path: noted('kiln installs galaxy roles into the staging folder\'s roles'),
  galaxy_collections_path: noted('ansible-galaxy installs collections where the guest\'s ansible.cfg says'),
  playbook_paths: refused('kiln uploads playbook_dir, playbook_file(s), group_vars, host_vars and role_paths: put the other playbooks in playbook_dir'),
  inventory_file: refused('kiln generates the guest\'s inventory: use inventory_groups'),
};

const SHELL_LOCAL_KEYS: KeyTable = {
  ...RUN_CONTROLS,
  inline: readElsewhere,
  command: readElsewhere,
  script: stringTo('script'),
  scripts: stringListTo('scripts'),
  environment_vars: readElsewhere,
  env: readElsewhere,
  execute_command: refused('kiln runs inline commands with /bin/sh -c and scripts with /bin/sh: remove it'),
  valid_exit_codes: refused('kiln fails the build on any non-zero exit: remove it, or end the script with "exit 0"'),
  inline_shebang: noted('kiln runs inline commands with /bin/sh -c'),
  use_linux_pathing: noted('kiln runs on the host\'s own shell'),
  env_var_format: noted('kiln sets env in the commands\' environment'),
  only_on: noted('kiln runs them on every host'),
};

const BREAKPOINT_KEYS: KeyTable = { note: stringTo('note'), disable: booleanTo('disable') };

/** What Packer's shell provisioner puts in the guest's environment. */
function packerEnv(t: Translator): Record<string, string> {
  const http = t.get(['http']) !== undefined;
  return {
    PACKER_BUILDER_TYPE: t.build.source.type,
    PACKER_BUILD_NAME: packerBuildName(t.build),
    ...(http ? { PACKER_HTTP_ADDR: '{{ .HTTPIP }}:{{ .HTTPPort }}', PACKER_HTTP_IP: '{{ .HTTPIP }}', PACKER_HTTP_PORT: '{{ .HTTPPort }}' } : {}),
  };
}

/** Copies the entry at `from` to the index `to`, with its origins, changing `key` to `value`. */
function repeatEntry(t: Translator, from: Segment[], to: Segment[], key: string, value: string, setting: Setting): void {
  const entry = { ...(t.get(from) as Record<string, unknown>), [key]: value };
  t.set(to, entry, setting.pos);
  const prefix = formatPath(from);
  for (const [path, pos] of [...t.origins]) {
    if (path.startsWith(`${prefix}.`)) t.origins.set(formatPath(to) + path.slice(prefix.length), pos);
  }
  t.set([...to, key], value, setting.pos);
}

/** The one of `keys` given, as a list; a problem when none or more than one is. */
function oneOf(t: Translator, block: PluginConfig, keys: string[]): { key: string; setting: Setting; values: string[] } | undefined {
  const given = keys.filter((k) => settingOf(block, k));
  if (given.length !== 1) {
    const where = given.length ? settingOf(block, given[1]!)!.pos : block.pos;
    t.problem(where, `${blockName(block, 'provisioner')}: give exactly one of ${keys.join(', ')}`);
    return undefined;
  }
  const key = given[0]!;
  const setting = settingOf(block, key)!;
  const values = readStringList(t, key, setting);
  return values && { key, setting, values };
}

function shell(t: Translator, block: PluginConfig, index: number): number {
  const at = ['provision', index, 'shell'];
  t.set(at, {}, block.pos);
  applyTable(t, block, SHELL_KEYS, 'shell provisioner', at);
  const environment = blockEnvironment(t, block, packerEnv(t));
  t.set([...at, 'env'], environment?.env ?? packerEnv(t), environment?.pos ?? block.pos);
  const body = oneOf(t, block, ['inline', 'script', 'scripts']);
  if (!body) return 1;
  if (body.key === 'inline') {
    t.set([...at, 'inline'], body.values, body.setting.pos);
    return 1;
  }
  body.values.forEach((script, i) => {
    if (i === 0) t.set([...at, 'script'], script, body.setting.pos);
    else repeatEntry(t, at, ['provision', index + i, 'shell'], 'script', script, body.setting);
  });
  return Math.max(body.values.length, 1);
}

function file(t: Translator, block: PluginConfig, index: number): number {
  const at = ['provision', index, 'file'];
  t.set(at, {}, block.pos);
  applyTable(t, block, FILE_KEYS, 'file provisioner', at);
  const content = settingOf(block, 'content');
  if (content) {
    t.problem(content.pos, 'content: kiln uploads files only: write the content to a file and give it as source');
    return 1;
  }
  const body = oneOf(t, block, ['source', 'sources']);
  if (!body) return 1;
  body.values.forEach((source, i) => {
    if (i === 0) t.set([...at, 'source'], source, body.setting.pos);
    else repeatEntry(t, at, ['provision', index + i, 'file'], 'source', source, body.setting);
  });
  return Math.max(body.values.length, 1);
}

/** The block's settings through `table` into provision[index].KIND, then what the table left to the kind's own code. */
function simple(t: Translator, block: PluginConfig, index: number, table: KeyTable): number {
  const at = ['provision', index, block.type];
  t.set(at, {}, block.pos);
  applyTable(t, block, table, `${block.type} provisioner`, at);
  if (block.type === 'ansible') {
    const limit = settingOf(block, 'limit');
    const hosts = limit && readString(t, 'limit', limit);
    if (hosts !== undefined) t.set([...at, 'extra_arguments'], [...((t.get([...at, 'extra_arguments']) as string[] | undefined) ?? []), '--limit', hosts], limit!.pos);
  }
  if (block.type === 'ansible-local') {
    const body = oneOf(t, block, ['playbook_file', 'playbook_files']);
    if (body) t.set([...at, 'playbook_file'], body.key === 'playbook_file' ? body.values[0]! : body.values, body.setting.pos);
    // Packer's inventory_groups is one comma-separated string.
    const groups = settingOf(block, 'inventory_groups');
    const text = groups && readString(t, 'inventory_groups', groups);
    if (text !== undefined) t.set([...at, 'inventory_groups'], text.split(',').map((g) => g.trim()).filter(Boolean), groups!.pos);
  }
  if (block.type === 'shell-local') shellLocalBody(t, block, at);
  return 1;
}

function shellLocalBody(t: Translator, block: PluginConfig, at: Segment[]): void {
  // A single `command` is an inline script of one line.
  const inline = settingOf(block, 'inline') ?? settingOf(block, 'command');
  const list = inline && readStringList(t, 'inline', inline);
  if (list) t.set([...at, 'inline'], list, inline!.pos);
  const environment = blockEnvironment(t, block);
  if (environment && Object.keys(environment.env).length) t.set([...at, 'env'], environment.env, environment.pos);
}

const TABLES: Readonly<Record<string, KeyTable>> = { ansible: ANSIBLE_KEYS, 'ansible-local': ANSIBLE_LOCAL_KEYS, 'shell-local': SHELL_LOCAL_KEYS, breakpoint: BREAKPOINT_KEYS };

export function translateProvisioners(t: Translator, blocks: PluginConfig[]): void {
  let index = 0;
  for (const block of blocks) {
    const table = Object.hasOwn(TABLES, block.type) ? TABLES[block.type] : undefined;
    if (block.type === 'shell') index += shell(t, block, index);
    else if (block.type === 'file') index += file(t, block, index);
    else if (table) index += simple(t, block, index, table);
    else t.problem(block.pos, `${blockName(block, 'provisioner')}: kiln runs shell, file, ansible, ansible-local, shell-local and breakpoint provisioners: rewrite it as a shell script, or run it after the build`);
  }
}
