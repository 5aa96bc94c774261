import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { KilnError } from '../../errors.js';
import type { Step } from '../../pipeline/step.js';
import { generateKeyPair } from '../../ssh/key-pair.js';
import type { BuildContext } from '../context.js';

/**
 * Makes {{ .SSHPublicKey }} available: from the template's private key when it has one,
 * else from a fresh ed25519 key pair made for this build. A guest resumed from the stage
 * cache was installed with the key stored with its install layer; that one is used instead.
 */
export const sshKey: Step<BuildContext> = {
  name: 'ssh-key',
  skip: (ctx) => ctx.template.ssh === null,
  async run(ctx) {
    const ssh = ctx.template.ssh!;
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
      const publicKey = `${key.type} ${key.getPublicSSH().toString('base64')} kiln-${ctx.template.name}`;
      ctx.sshKey = { privateKey, publicKey };
      return;
    }
    if (ssh.password !== undefined) return;
    ctx.sshKey = ctx.cache?.sshKey ?? generateKeyPair(`kiln-${ctx.template.name}`);
    ctx.log.debug(ctx.cache?.sshKey ? 'using the key pair stored with the cached install' : 'generated an ed25519 key pair for this build');
  },
};
