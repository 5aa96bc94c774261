// The schema of the provision list: one mapping per item with exactly one kind.
import { argList, boolean, duration, object, oneOf, string, stringList, stringMap, type SchemaNode } from './schema-nodes.js';

const shell = object({
  inline: stringList('a list of shell commands'),
  script: string('a local script path, relative to the template'),
  sudo: boolean,
  env: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'a mapping of NAME: value' },
  expect_disconnect: boolean,
  cache: boolean,
  execute_command: string('the command that runs the script, with {{ .Path }} and {{ .Vars }}, e.g. "sudo -E sh {{ .Path }}"'),
  inline_shebang: string('the interpreter line for inline commands, e.g. /bin/bash -e'),
  valid_exit_codes: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0, maximum: 4294967295 }, description: 'a list of exit codes that mean success' },
  pause_before: duration,
  pause_after: duration,
  max_retries: { type: 'integer', minimum: 0, maximum: 100, description: 'how many times to run it again after a failure' },
  timeout: duration,
  start_retry_timeout: duration,
  remote_folder: string('a folder in the guest for the uploaded script, e.g. /tmp'),
  remote_path: string('the full path in the guest the script is uploaded to'),
  skip_clean: boolean,
});

const retries: SchemaNode = { type: 'integer', minimum: 0, maximum: 100, description: 'how many times to run it again after a failure' };
/** Packer's options around a provisioner's run, for every kind but shell (which has its own), reboot and breakpoint. */
const runControls = { pause_before: duration, max_retries: retries, timeout: duration };

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

const stringOrList = (description: string): SchemaNode => ({ type: ['string', 'array'], items: string(), description });

const ansible = object(
  {
    playbook_file: stringOrList('a playbook path, or a list of them, relative to the template'),
    host_alias: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$', description: 'an inventory host name, e.g. default' },
    groups: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'a group name: letters, digits and "_"' }, description: 'a list of inventory group names' },
    user: string('the login user for ansible; default ssh.username'),
    become: boolean,
    extra_arguments: argList,
    extra_vars: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'a mapping of variable: value' },
    ansible_env_vars: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'a mapping of NAME: value' },
    galaxy_file: string('a requirements file for ansible-galaxy, relative to the template'),
    roles_path: string('a roles folder, relative to the template'),
    collections_path: string('a collections folder, relative to the template'),
    command: string('the ansible-playbook program, e.g. ansible-playbook or a wrapper script'),
    ...runControls,
    cache: boolean,
  },
  { required: ['playbook_file'] },
);

const ansibleLocal = object(
  {
    playbook_file: stringOrList('a playbook path, or a list of them, relative to the template'),
    playbook_dir: string('a folder whose contents are uploaded as the staging folder, relative to the template'),
    group_vars: string('a group_vars folder, relative to the template'),
    host_vars: string('a host_vars folder, relative to the template'),
    role_paths: stringList('a list of role folders, relative to the template'),
    inventory_groups: ansible.properties!.groups!,
    extra_arguments: argList,
    extra_vars: ansible.properties!.extra_vars!,
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
  timeout: { ...duration, description: 'how long to wait for SSH after the reboot, like 5m' },
  pause_before: duration,
});

export const shellLocalCommands = {
  inline: stringList('a list of shell commands'),
  script: string('a local script path, relative to the template'),
  scripts: stringList('a list of local script paths, relative to the template'),
};

export const provisionItem: SchemaNode = object(
  { shell, file, ansible, 'ansible-local': ansibleLocal, 'shell-local': object({ ...shellLocalCommands, env: stringMap, ...runControls }), reboot, breakpoint },
  { minProperties: 1, maxProperties: 1, description: 'exactly one of shell, file, ansible, ansible-local, shell-local, reboot or breakpoint' },
);
