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
  // ssh2 strips leading zero bytes from an ed25519 public key (mscdex/ssh2#1390, #1513):
  // about 1 pair in 256 then fails its own parser. Such a pair is drawn again.
  for (let attempt = 1; ; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: oneLine });
    const usable = !(ssh2.utils.parseKey(pair.private) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error);
    if (usable || attempt === 20) return { privateKey: pair.private, publicKey: pair.public.trim() };
  }
}
