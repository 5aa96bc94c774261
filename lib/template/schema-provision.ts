// The schema of the provision list: one mapping per item with exactly one kind.
import { argList, boolean, duration, exactlyOne, integer, listOf, object, oneOf, scalarMap, string, stringList, stringMap, stringOrList } from './schema-nodes.js';

export const shell = object({
  inline: stringList('a list of shell commands'),
  script: string('a local script path, relative to the template'),
  sudo: boolean,
  env: stringMap,
  expect_disconnect: boolean,
  cache: boolean,
  execute_command: string('the command that runs the script, with {{ .Path }} and {{ .Vars }}, e.g. "sudo -E sh {{ .Path }}"'),
  inline_shebang: string('the interpreter line for inline commands, e.g. /bin/bash -e'),
  valid_exit_codes: listOf(integer(0, 4294967295), 'a list of exit codes that mean success', { minItems: 1 }),
  pause_before: duration,
  pause_after: duration,
  max_retries: integer(0, 100, 'how many times to run it again after a failure'),
  timeout: duration,
  start_retry_timeout: duration,
  remote_folder: string('a folder in the guest for the uploaded script, e.g. /tmp'),
  remote_path: string('the full path in the guest the script is uploaded to'),
  skip_clean: boolean,
});

/** Packer's options around a provisioner's run, for every kind but shell (which has its own), reboot and breakpoint. */
export const runControls = { pause_before: duration, max_retries: integer(0, 100, 'how many times to run it again after a failure'), timeout: duration };

const file = object(
  {
    source: string('a local file or directory, relative to the template'),
    destination: string('a path in the guest (for download: on the host, relative to the template)'),
    direction: oneOf(['upload', 'download']),
    cache: boolean,
    ...runControls,
  },
  { required: ['source', 'destination'] },
);

const groups = listOf(string('a group name: letters, digits and "_"', { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), 'a list of inventory group names');
const extraVars = scalarMap('a mapping of variable: value');

export const ansible = object(
  {
    playbook_file: stringOrList('a playbook path, or a list of them, relative to the template'),
    host_alias: string('an inventory host name, e.g. default', { pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' }),
    groups,
    user: string('the login user for ansible; default ssh.username'),
    become: boolean,
    extra_arguments: argList,
    extra_vars: extraVars,
    ansible_env_vars: stringMap,
    galaxy_file: string('a requirements file for ansible-galaxy, relative to the template'),
    roles_path: string('a roles folder, relative to the template'),
    collections_path: string('a collections folder, relative to the template'),
    command: string('the ansible-playbook program, e.g. ansible-playbook or a wrapper script'),
    ...runControls,
    cache: boolean,
  },
  { required: ['playbook_file'] },
);

export const ansibleLocal = object(
  {
    playbook_file: stringOrList('a playbook path, or a list of them, relative to the template'),
    playbook_dir: string('a folder whose contents are uploaded as the staging folder, relative to the template'),
    group_vars: string('a group_vars folder, relative to the template'),
    host_vars: string('a host_vars folder, relative to the template'),
    role_paths: stringList('a list of role folders, relative to the template'),
    inventory_groups: groups,
    extra_arguments: argList,
    extra_vars: extraVars,
    galaxy_file: string('a requirements file for ansible-galaxy, relative to the template'),
    command: string('the command line that runs ansible-playbook in the guest'),
    staging_directory: string('an absolute folder in the guest, e.g. /tmp/ansible'),
    clean_staging_directory: boolean,
    ...runControls,
    cache: boolean,
  },
  { required: ['playbook_file'] },
);

const breakpoint = object({ note: string('a message shown when the build pauses'), disable: boolean });

const reboot = object({
  command: string('the command that reboots the guest, e.g. sudo reboot'),
  timeout: string('how long to wait for SSH after the reboot, like 5m'),
  pause_before: duration,
});

export const shellLocalCommands = {
  inline: stringList('a list of shell commands'),
  script: string('a local script path, relative to the template'),
  scripts: stringList('a list of local script paths, relative to the template'),
};

export const shellLocal = object({ ...shellLocalCommands, env: stringMap });

export const provisionItem = exactlyOne(
  { shell, file, ansible, 'ansible-local': ansibleLocal, 'shell-local': object({ ...shellLocal.properties, ...runControls }), reboot, breakpoint },
  'exactly one of shell, file, ansible, ansible-local, shell-local, reboot or breakpoint',
);
