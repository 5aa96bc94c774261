// What kiln runs for an ansible provisioner: ansible-playbook's arguments and
// environment, from the provisioner's options and the files kiln wrote for the run.
// Pure, so every option is checked by a table (test/provision/ansible-command.test.ts).
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { shellWord } from '../../ssh/shell-quote.js';
import type { AnsibleProvisioner } from '../../template/types.js';

export interface AnsibleRunFiles {
  inventory: string;
  /** A JSON vars file (mode 0600) with the login and become password, when there is one. */
  secretVars?: string;
  /** Where galaxy_file's roles and collections were installed, when it is given. */
  galaxyRoles?: string;
  galaxyCollections?: string;
  /** The playbook directory's ansible.cfg, when it has one. */
  config?: string;
}

/**
 * The arguments: the playbooks, the inventory, the Packer-named build variables and
 * extra_vars as one JSON object, the password file, --become, then extra_arguments last
 * so the user's own --extra-vars win over kiln's.
 */
export function ansibleArgs(p: AnsibleProvisioner, files: AnsibleRunFiles, buildVars: Record<string, string>): string[] {
  const args = [...p.playbook_files, '--inventory', files.inventory, '--extra-vars', JSON.stringify({ ...buildVars, ...p.extra_vars })];
  if (files.secretVars !== undefined) args.push('--extra-vars', `@${files.secretVars}`);
  if (p.become) args.push('--become');
  return [...args, ...p.extra_arguments];
}

/** Ansible's own default search paths, kept after the ones kiln puts first. */
const defaultRoles = () => [join(homedir(), '.ansible/roles'), '/usr/share/ansible/roles', '/etc/ansible/roles'];
const defaultCollections = () => [join(homedir(), '.ansible/collections'), '/usr/share/ansible/collections'];

/** Environment added to kiln's: host key checks off (a new guest key each build), no colour codes in build.log, the search paths. */
export function ansibleEnv(p: AnsibleProvisioner, files: AnsibleRunFiles): Record<string, string> {
  const env: Record<string, string> = { ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: 'True', ANSIBLE_RETRY_FILES_ENABLED: 'False' };
  if (files.config !== undefined) env.ANSIBLE_CONFIG = files.config;
  const roles = [p.roles_path, files.galaxyRoles].filter((d): d is string => d !== undefined);
  if (roles.length > 0) env.ANSIBLE_ROLES_PATH = [...roles, ...defaultRoles()].join(delimiter);
  const collections = [p.collections_path, files.galaxyCollections].filter((d): d is string => d !== undefined);
  if (collections.length > 0) env.ANSIBLE_COLLECTIONS_PATH = [...collections, ...defaultCollections()].join(delimiter);
  return { ...env, ...p.ansible_env_vars };
}

/** The vars file's content: the login password, and the become password when become is on. */
export function secretVarsJson(password: string, become: boolean): string {
  return JSON.stringify({ ansible_password: password, ...(become ? { ansible_become_password: password } : {}) });
}

/** The command line as build.log shows it, each argument quoted when it needs to be. */
export const shownCommand = (command: string, args: readonly string[]): string => [command, ...args].map(shellWord).join(' ');
