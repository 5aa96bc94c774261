// How a program on the host (ansible-playbook, a shell-local provisioner's script) reaches
// the guest: the forwarded SSH port on 127.0.0.1 and the build's login. A generated key
// is written to a 0600 file in the build's work folder for ssh to read.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestConnection } from '../provision/ansible/inventory.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';

/** The generated key's file name in the work folder. */
export const BUILD_KEY_FILE = 'ssh-key';

export async function guestConnection(ctx: BuildContext, user?: string): Promise<GuestConnection> {
  const ssh = need(ctx.template.ssh ?? undefined, 'ssh');
  const vm = need(ctx.vm, 'vm');
  let privateKeyFile = ssh.private_key;
  if (privateKeyFile === undefined && ctx.sshKey) {
    privateKeyFile = join(need(ctx.workDir, 'work dir'), BUILD_KEY_FILE);
    await writeFile(privateKeyFile, ctx.sshKey.privateKey, { mode: 0o600 });
  }
  return {
    host: '127.0.0.1',
    port: need(vm.sshPort, 'the forwarded SSH port'),
    user: user ?? ssh.username,
    ...(privateKeyFile !== undefined ? { privateKeyFile } : {}),
    ...(ssh.password !== undefined ? { password: ssh.password } : {}),
  };
}
