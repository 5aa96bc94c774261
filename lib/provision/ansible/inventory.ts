// The inventory kiln writes for one ansible run: the guest under its host alias, reached
// straight at the forwarded SSH port on this host (no proxy in between), in the groups
// the template names. YAML rather than INI, so paths with spaces need no quoting rules.
// Secrets are never in it: a password goes in a separate vars file (command.ts).
import { stringify } from 'yaml';

export interface GuestConnection {
  host: string;
  port: number;
  user: string;
  /** Absolute path of the private key ansible's ssh uses; absent: password login. */
  privateKeyFile?: string;
  /** Never written to the inventory or a log. */
  password?: string;
}

/** ssh options for a guest whose host key is new on every build. */
export function sshCommonArgs(connection: GuestConnection): string {
  const args = ['-o StrictHostKeyChecking=no', '-o UserKnownHostsFile=/dev/null', '-o LogLevel=ERROR'];
  if (connection.privateKeyFile !== undefined) args.push('-o IdentitiesOnly=yes');
  return args.join(' ');
}

export function inventoryYaml(options: { hostAlias: string; groups: readonly string[]; connection: GuestConnection }): string {
  const { hostAlias, groups, connection } = options;
  const host: Record<string, string | number> = {
    ansible_host: connection.host,
    ansible_port: connection.port,
    ansible_user: connection.user,
    ansible_ssh_common_args: sshCommonArgs(connection),
  };
  if (connection.privateKeyFile !== undefined) host.ansible_ssh_private_key_file = connection.privateKeyFile;
  const inventory: Record<string, unknown> = { all: { hosts: { [hostAlias]: host } } };
  if (groups.length > 0) {
    (inventory.all as Record<string, unknown>).children = Object.fromEntries(groups.map((g) => [g, { hosts: { [hostAlias]: null } }]));
  }
  return stringify(inventory);
}
