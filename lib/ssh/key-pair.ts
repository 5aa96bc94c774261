// A throwaway login key for a build: kiln puts the public half into the guest
// ({{ .SSHPublicKey }} in an answer file or cloud-init) and logs in with the private half.

import ssh2 from 'ssh2';

export interface KeyPair {
  /** OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted. */
  privateKey: string;
  /** One authorized_keys line: "ssh-ed25519 AAAA... comment". */
  publicKey: string;
}

export function generateKeyPair(comment: string): KeyPair {
  // A newline in the comment would split the authorized_keys line in two.
  const oneLine = comment.replace(/[\r\n]+/g, ' ').trim();
  const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: oneLine });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}
