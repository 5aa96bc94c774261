import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { KilnError } from '../../errors.js';
import type { Step } from '../../pipeline/step.js';
import { generateKeyPair } from '../../ssh/key-pair.js';
import type { SshConfig } from '../../template/types.js';
import type { BuildContext } from '../context.js';

/**
 * Makes {{ .SSHPublicKey }} available: from the template's private key when it has one,
 * else from a fresh ed25519 key pair made for this build. A guest resumed from the stage
 * cache was installed with the key stored with its install layer; that one is used instead.
 */
export function sshKey(options: { ssh: SshConfig; name: string }): Step<BuildContext> {
  const { ssh, name } = options;
  return {
  name: 'ssh-key',
  async run(ctx) {
    if (ssh.private_key) {
      const privateKey = await readFile(ssh.private_key, 'utf8');
      const parsed = ssh2.utils.parseKey(privateKey);
      if (parsed instanceof Error) {
        throw new KilnError('E_INVALID', `ssh.private_key ${ssh.private_key}: ${parsed.message}`, {
          hint: 'give an unencrypted OpenSSH or PEM private key',
          cause: parsed,
        });
      }
      const key = Array.isArray(parsed) ? parsed[0]! : parsed;
      const publicKey = `${key.type} ${key.getPublicSSH().toString('base64')} kiln-${name}`;
      ctx.sshKey = { privateKey, publicKey };
      return;
    }
    if (ssh.password !== undefined) return;
    ctx.sshKey = ctx.cache?.sshKey ?? generateKeyPair(`kiln-${name}`);
    ctx.log.debug(ctx.cache?.sshKey ? 'using the key pair stored with the cached install' : 'generated an ed25519 key pair for this build');
  },
  };
}
