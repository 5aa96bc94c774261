// What ansible-local runs in the guest: where each uploaded piece goes in the staging
// folder, the inventory (the guest itself, in its groups), and the command line.
// Pure, so the layout and the quoting are checked by a table.
import { basename, posix } from 'node:path';
import { shellQuote, shellWord } from '../../ssh/shell-quote.js';
import type { AnsibleLocalProvisioner } from '../../template/types.js';

export interface StagedUpload {
  /** Absolute host path; a trailing "/" uploads a folder's contents. */
  local: string;
  /** Path in the guest. */
  remote: string;
  directory: boolean;
}

export const INVENTORY_NAME = 'kiln-inventory.ini';

/** In upload order: playbook_dir's contents first (Packer's rule), so the named pieces land over it. */
export function stagedUploads(p: AnsibleLocalProvisioner, staging: string): StagedUpload[] {
  const uploads: StagedUpload[] = [];
  const dir = (local: string, remote: string) => uploads.push({ local: `${local.replace(/\/+$/, '')}/`, remote, directory: true });
  if (p.playbook_dir !== undefined) dir(p.playbook_dir, staging);
  for (const file of p.playbook_files) uploads.push({ local: file, remote: posix.join(staging, basename(file)), directory: false });
  if (p.group_vars !== undefined) dir(p.group_vars, posix.join(staging, 'group_vars'));
  if (p.host_vars !== undefined) dir(p.host_vars, posix.join(staging, 'host_vars'));
  for (const role of p.role_paths) dir(role, posix.join(staging, 'roles', basename(role)));
  if (p.galaxy_file !== undefined) uploads.push({ local: p.galaxy_file, remote: posix.join(staging, basename(p.galaxy_file)), directory: false });
  return uploads;
}

/** The guest as ansible sees it: 127.0.0.1 with the local connection, in each group. */
export function localInventory(groups: readonly string[]): string {
  const host = '127.0.0.1 ansible_connection=local';
  return [host, ...groups.flatMap((g) => ['', `[${g}]`, host])].join('\n') + '\n';
}

/** `cd STAGING && ansible-galaxy install -r FILE -p roles`, when galaxy_file is given. */
export function galaxyCommand(p: AnsibleLocalProvisioner, staging: string): string | undefined {
  if (p.galaxy_file === undefined) return undefined;
  return `cd ${shellWord(staging)} && ansible-galaxy install -r ${shellWord(basename(p.galaxy_file))} -p roles`;
}

/** The playbook run, from the staging folder, with Packer's build vars and extra_vars as one JSON object. */
export function playbookCommand(p: AnsibleLocalProvisioner, staging: string, buildVars: Record<string, string>): string {
  const args = [
    ...p.playbook_files.map((f) => basename(f)),
    '-i', INVENTORY_NAME,
    '-c', 'local',
    '--extra-vars', JSON.stringify({ ...buildVars, ...p.extra_vars }),
    ...p.extra_arguments,
  ];
  // command is the template's own command line (it may hold env assignments or sudo).
  return `cd ${shellWord(staging)} && ANSIBLE_NOCOLOR=True PYTHONUNBUFFERED=1 ${p.command} ${args.map(shellWord).join(' ')}`;
}

/** Removes the staging folder (validation makes staging_directory an absolute path other than /). */
export function cleanCommand(staging: string): string {
  return `rm -rf ${shellQuote(staging)}`;
}
