import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authFiles, credentialsFor, fromAuthFile } from '../../lib/oci/credentials.js';
import { kilnRejection, kilnThrown } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(() => removeScratch());

const b64 = (s: string) => Buffer.from(s).toString('base64');

const entries: [string, object, string, [string, string] | undefined][] = [
  ['an auth entry', { auths: { 'r.io:5000': { auth: b64('u:p:with:colons') } } }, 'r.io:5000', ['u', 'p:with:colons']],
  ['username and password', { auths: { 'r.io': { username: 'u', password: 'p' } } }, 'r.io', ['u', 'p']],
  ['a URL key, as old docker login wrote', { auths: { 'https://R.io/v1/': { auth: b64('u:p') } } }, 'r.io', ['u', 'p']],
  ['a host/path key (podman)', { auths: { 'r.io/team': { auth: b64('u:p') } } }, 'r.io', ['u', 'p']],
  ['another registry only', { auths: { 'other.io': { auth: b64('u:p') } } }, 'r.io', undefined],
  ['a global credsStore (it may hold nothing for this registry)', { credsStore: 'desktop' }, 'r.io', undefined],
];
for (const [label, config, registry, expected] of entries) {
  test(`fromAuthFile: ${label}`, () => {
    const found = fromAuthFile(JSON.stringify(config), registry, 'auth.json');
    assert.equal(found && [found.username, found.password], expected);
  });
}

const refused: [string, string, RegExp][] = [
  ['not JSON', '{', /auth\.json is not JSON/],
  ['an auth without a colon', JSON.stringify({ auths: { 'r.io': { auth: b64('nocolon') } } }), /is not base64 of user:password/],
  ['a credential helper for the registry', JSON.stringify({ credHelpers: { 'r.io': 'ecr-login' } }), /docker-credential-ecr-login, which kiln does not run/],
];
for (const [label, text, message] of refused) {
  test(`fromAuthFile refuses ${label}`, () => {
    const error = kilnThrown(() => fromAuthFile(text, 'r.io', 'auth.json'));
    assert.match(error.message, message);
    assert.ok(error.hint);
  });
}

test('authFiles: REGISTRY_AUTH_FILE alone, else containers/auth.json then Docker config', () => {
  assert.equal(authFiles({ REGISTRY_AUTH_FILE: '/a.json', HOME: '/h' }), ['/a.json']);
  assert.equal(authFiles({ XDG_RUNTIME_DIR: '/run/user/1', HOME: '/h' }), ['/run/user/1/containers/auth.json', '/h/.docker/config.json']);
  assert.equal(authFiles({ DOCKER_CONFIG: '/d', HOME: '/h' }), ['/d/config.json']);
});

test('credentialsFor: flags win over files; the first file with the registry wins; none is undefined', async () => {
  const dir = await scratch({
    'run/containers/auth.json': JSON.stringify({ auths: { 'other.io': { auth: b64('x:y') } } }),
    'home/.docker/config.json': JSON.stringify({ auths: { 'r.io': { auth: b64('docker:pw') } } }),
  });
  const env = { XDG_RUNTIME_DIR: join(dir, 'run'), HOME: join(dir, 'home') };
  assert.equal(await credentialsFor('r.io', { env, username: 'flag', password: 'pw' }), { username: 'flag', password: 'pw', source: '--username' });
  assert.equal(await credentialsFor('r.io', { env }), { username: 'docker', password: 'pw', source: join(dir, 'home/.docker/config.json') });
  assert.is((await credentialsFor('other.io', { env }))?.source, join(dir, 'run/containers/auth.json'));
  assert.is(await credentialsFor('none.io', { env }), undefined);
});

test('credentialsFor: a password without a user is a usage error', async () => {
  assert.is((await kilnRejection(credentialsFor('r.io', { env: {}, password: 'pw' }))).code, 'E_USAGE');
});

test.run();
