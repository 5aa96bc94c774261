import { test } from 'uvu';
import * as assert from 'uvu/assert';
import ssh2 from 'ssh2';
import { generateKeyPair } from '../../lib/ssh/key-pair.js';

test('generateKeyPair returns an OpenSSH private key and a one-line public key', () => {
  const pair = generateKeyPair('kiln build debian-12');
  assert.match(pair.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.match(pair.publicKey, /^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ kiln build debian-12$/);
  assert.not.match(pair.publicKey, '\n');
});

test('the two halves belong together', () => {
  const pair = generateKeyPair('x');
  const priv = ssh2.utils.parseKey(pair.privateKey);
  const pub = ssh2.utils.parseKey(pair.publicKey);
  assert.not.instance(priv, Error);
  assert.not.instance(pub, Error);
  const data = Buffer.from('signed');
  const signature = (priv as ssh2.ParsedKey).sign(data);
  assert.ok((pub as ssh2.ParsedKey).verify(data, signature));
});

test('every pair parses: ssh2 spoils about 1 in 256 ed25519 pairs, which are drawn again', () => {
  // Without the redraw, 2000 pairs hold a spoiled one with probability 1 - (255/256)^2000 > 99.9%.
  for (let i = 0; i < 2000; i++) {
    const { privateKey, publicKey } = generateKeyPair('kiln-test');
    assert.not.instance(ssh2.utils.parseKey(privateKey), Error, `private key ${i}`);
    assert.not.instance(ssh2.utils.parseKey(publicKey), Error, `public key ${i}`);
  }
});

test('each call makes a new key', () => {
  assert.is.not(generateKeyPair('a').publicKey.split(' ')[1], generateKeyPair('a').publicKey.split(' ')[1]);
});

test('a newline in the comment cannot break the authorized_keys line', () => {
  assert.match(generateKeyPair('two\nlines').publicKey, / two lines$/);
});

test.run();
