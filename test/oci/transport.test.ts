// Where the CAs the registry client trusts come from; that they are trusted is tested
// against a real registry with a self-signed certificate (publish/oci-registry.test.ts).
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { registryDispatcher } from '../../lib/oci/transport.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(() => removeScratch());

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const refused: [string, (dir: string) => { caFile?: string; env: NodeJS.ProcessEnv }, RegExp, RegExp][] = [
  ['a --ca-file that is not there', (dir) => ({ caFile: join(dir, 'none.pem'), env: {} }), /^--ca-file .*none\.pem cannot be read/, /PEM file of the CA/],
  ['a --ca-file without a PEM certificate', (dir) => ({ caFile: join(dir, 'ca.der'), env: {} }), /^--ca-file .*ca\.der holds no PEM certificate/, /openssl x509 -inform der/],
  ['an SSL_CERT_FILE that is not there', (dir) => ({ env: { SSL_CERT_FILE: join(dir, 'gone.pem') } }), /^SSL_CERT_FILE .*gone\.pem cannot be read/, /PEM file/],
  ['an SSL_CERT_FILE beside a good --ca-file', (dir) => ({ caFile: join(dir, 'ca.pem'), env: { SSL_CERT_FILE: join(dir, 'ca.der') } }), /^SSL_CERT_FILE .*ca\.der holds no PEM/, /openssl/],
];
for (const [label, options, message, hint] of refused) {
  test(`registryDispatcher refuses ${label}, naming where it came from`, async () => {
    const dir = await scratch({ 'ca.der': '0\x82\x01', 'ca.pem': PEM });
    const error = await kilnRejection(registryDispatcher(options(dir)));
    assert.is(error.code, 'E_USAGE');
    assert.match(error.message, message);
    assert.match(error.hint!, hint);
  });
}

test.run();
