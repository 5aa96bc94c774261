// Seed rendering: user-data from keys, literals and parts, with the build user added;
// meta-data; network-config. Output is compared with golden files, and read back the
// way cloud-init reads it (Python's email package and PyYAML, YAML 1.1).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withBuildDefaults } from '../../lib/cloud-init/build-defaults.js';
import { hostnameFor, instanceIdFor, renderMetaData, renderNetworkConfig } from '../../lib/cloud-init/meta-data.js';
import { isMultipart, parseMultipart } from '../../lib/cloud-init/mime.js';
import { nocloudSeedArg, renderSeed, seedFiles, seedHttpContent } from '../../lib/cloud-init/seed.js';
import type { BuildUser, CloudInitSpec, UserDataSpec } from '../../lib/cloud-init/types.js';
import { mapStrings, renderUserData, userDataKind } from '../../lib/cloud-init/user-data.js';
import { matchesGolden } from './golden.js';

const exec = promisify(execFile);
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKilnKilnKilnKilnKilnKilnKilnKilnKilnKilnKiln kiln';
const KEY_ONLY: BuildUser = { username: 'vagrant', sshPublicKey: KEY };
const WITH_PASSWORD: BuildUser = { username: 'vagrant', sshPublicKey: KEY, password: 'yes' };

/** user-data as cloud-init reads it: MIME parts via Python's email package, cloud-config via PyYAML. */
async function asCloudInitReads(userData: string): Promise<{ type: string; filename: string | null; data: unknown }[]> {
  const script = `
import email, json, sys, yaml
text = sys.stdin.read()
if text.startswith('Content-Type: multipart'):
    parts = [p for p in email.message_from_string(text).walk() if not p.is_multipart()]
    items = [(p.get_content_type(), p.get_filename(), p.get_payload(decode=True).decode('utf-8')) for p in parts]
else:
    items = [('text/cloud-config' if text.startswith('#cloud-config') else 'text/x-shellscript', None, text)]
out = [{'type': t, 'filename': f, 'data': yaml.safe_load(c) if t == 'text/cloud-config' else c} for t, f, c in items]
print(json.dumps(out))
`;
  const child = exec('python3', ['-c', script]);
  child.child.stdin!.end(userData);
  const { stdout } = await child;
  return JSON.parse(stdout);
}

const KEYS_SPEC = {
  packages: ['htop'],
  write_files: [{ path: '/etc/motd', content: 'built by kiln\n', permissions: '0644' }],
  runcmd: [['sh', '-c', 'echo on > /etc/kiln-marker']],
  timezone: 'no',
};

test('keys + a key-only build user', async () => {
  const text = renderUserData(withBuildDefaults(KEYS_SPEC, KEY_ONLY));
  await matchesGolden('keys-key-only.user-data', text);
  const [part] = await asCloudInitReads(text);
  assert.equal(part!.data, {
    ...KEYS_SPEC,
    users: [{ name: 'vagrant', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', ssh_authorized_keys: [KEY] }],
  });
});

test('the template\'s own entry for the user wins; only what is missing is added (YAML 1.1 strings stay strings)', async () => {
  const spec = { users: ['default', { name: 'vagrant', sudo: false, ssh_authorized_keys: ['ssh-rsa AAAAB3Nza mine'] }], ssh_pwauth: false };
  const text = renderUserData(withBuildDefaults(spec, WITH_PASSWORD));
  await matchesGolden('keys-own-user-password.user-data', text);
  const [part] = await asCloudInitReads(text);
  assert.equal(part!.data, {
    users: ['default', { name: 'vagrant', sudo: false, ssh_authorized_keys: ['ssh-rsa AAAAB3Nza mine', KEY], lock_passwd: false, plain_text_passwd: 'yes' }],
    ssh_pwauth: false,
  });
});

test('build defaults: a table of what is added', () => {
  const cases: [string, UserDataSpec, BuildUser, unknown][] = [
    ['no users', {}, { username: 'u' }, { users: [{ name: 'u', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash' }] }],
    ['users: [default] keeps the default user', { users: ['default'] }, { username: 'u' }, { users: ['default', { name: 'u', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash' }] }],
    ['users as a short string', { users: 'default, u' }, { username: 'u', sshPublicKey: KEY }, { users: ['default', { name: 'u', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', ssh_authorized_keys: [KEY] }] }],
    ['the key is not added twice', { users: [{ name: 'u', ssh_authorized_keys: [KEY] }] }, { username: 'u', sshPublicKey: KEY }, { users: [{ name: 'u', ssh_authorized_keys: [KEY], sudo: 'ALL=(ALL) NOPASSWD:ALL' }] }],
    ['a hashed password is kept', { users: [{ name: 'u', hashed_passwd: '$6$x$y' }] }, { username: 'u', password: 'p' }, { users: [{ name: 'u', hashed_passwd: '$6$x$y', sudo: 'ALL=(ALL) NOPASSWD:ALL' }], ssh_pwauth: true }],
    ['lock_passwd given is kept', { users: [{ name: 'u', lock_passwd: true }] }, { username: 'u', password: 'p' }, { users: [{ name: 'u', lock_passwd: true, sudo: 'ALL=(ALL) NOPASSWD:ALL', plain_text_passwd: 'p' }], ssh_pwauth: true }],
    ['users: null', { users: null }, { username: 'u' }, { users: [{ name: 'u', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash' }] }],
    ['the old mapping form is left alone', { users: { u: {} } }, { username: 'u' }, { users: { u: {} } }],
  ];
  for (const [name, spec, user, expected] of cases) assert.equal(withBuildDefaults(spec, user), expected, name);
});

test('a literal #cloud-config keeps its comments', async () => {
  const literal = '#cloud-config\n# packages first\npackages: [curl, jq]\nusers: default  # the distro user\nruncmd:\n  - echo hi\n';
  const text = renderUserData(withBuildDefaults(literal, KEY_ONLY));
  await matchesGolden('literal-comments.user-data', text);
  assert.match(text, /# packages first\npackages: \[curl, jq\]\n/);
  const [part] = await asCloudInitReads(text);
  assert.equal((part!.data as { users: unknown[] }).users, ['default', { name: 'vagrant', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', ssh_authorized_keys: [KEY] }]);
});

test('a literal script becomes a multi-part with the build user first', async () => {
  const script = '#!/bin/sh\necho "hello from a script" > /etc/kiln-script\n';
  const text = renderUserData(withBuildDefaults(script, KEY_ONLY));
  await matchesGolden('script.user-data', text);
  const parts = await asCloudInitReads(text);
  assert.equal(parts.map((p) => [p.type, p.filename]), [['text/cloud-config', 'part-001'], ['text/x-shellscript', 'part-002']]);
  assert.is(parts[1]!.data, script);
});

test('parts: cloud-config, named script, boothook, include, a non-ASCII script (base64)', async () => {
  const parts: UserDataSpec = [
    { cloud_config: { packages: ['nginx'] } },
    { script: '#!/bin/bash\nset -eu\necho one > /tmp/one\n', filename: '10-first.sh' },
    { boothook: '#cloud-boothook\n#!/bin/sh\necho boot >> /var/log/boothook\n' },
    { content_type: 'text/x-include-url', content: 'http://10.0.2.2:8080/more-user-data\n' },
    { script: '#!/bin/sh\necho "grüße" > /etc/kiln-utf8\n', filename: 'utf8.sh' },
  ];
  const text = renderUserData(withBuildDefaults(parts, KEY_ONLY));
  await matchesGolden('parts.user-data', text);
  assert.ok(isMultipart(text));
  assert.match(text, /Content-Transfer-Encoding: base64/);
  const read = await asCloudInitReads(text);
  assert.equal(read.map((p) => [p.type, p.filename]), [
    ['text/cloud-config', 'part-001'],
    ['text/x-shellscript', '10-first.sh'],
    ['text/cloud-boothook', 'part-003'],
    ['text/x-include-url', 'part-004'],
    ['text/x-shellscript', 'utf8.sh'],
  ]);
  assert.equal(read[0]!.data, { packages: ['nginx'], users: [{ name: 'vagrant', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', ssh_authorized_keys: [KEY] }] });
  assert.is(read[4]!.data, '#!/bin/sh\necho "grüße" > /etc/kiln-utf8\n');
  // Our own reader agrees with Python's.
  const ours = parseMultipart(text)!;
  assert.equal(ours.map((p) => [p.contentType, p.filename ?? null]), read.map((p) => [p.type, p.filename]));
  assert.equal(ours.slice(1).map((p) => p.content), read.slice(1).map((p) => p.data));
  // The same parts always give the same bytes.
  assert.is(renderUserData(withBuildDefaults(parts, KEY_ONLY)), text);
});

test('parts without a cloud-config part get one for the build user; literals kiln cannot merge are kept', () => {
  const out = withBuildDefaults([{ script: '#!/bin/sh\ntrue\n' }], { username: 'u' }) as unknown[];
  assert.equal(out[0], { cloud_config: { users: [{ name: 'u', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash' }] } });
  const mime = renderUserData([{ script: '#!/bin/sh\ntrue\n' }]);
  assert.is(withBuildDefaults(mime, KEY_ONLY), mime);
  assert.is(withBuildDefaults('#include\nhttp://example.org/ud\n', KEY_ONLY), '#include\nhttp://example.org/ud\n');
  assert.is(withBuildDefaults('#cloud-config\nusers: [unclosed\n', KEY_ONLY), '#cloud-config\nusers: [unclosed\n', 'broken YAML is left to lint');
  assert.equal(
    [mime, '#!/bin/sh\n', '#cloud-config\n', '## template: jinja\n#cloud-config\n', '#include\n', 'packages: []\n'].map(userDataKind),
    ['multipart', 'script', 'cloud-config', 'jinja', 'other', 'other'],
  );
});

test('placeholders are rendered in every string, keys untouched', () => {
  const spec = { 'write_files': [{ path: '/etc/{{ .Name }}', content: 'url {{ .HTTPIP }}' }], '{{ .Name }}': 'x' };
  const out = mapStrings(spec, (s) => s.replaceAll('{{ .Name }}', 'demo').replaceAll('{{ .HTTPIP }}', '10.0.2.2'));
  assert.equal(out, { write_files: [{ path: '/etc/demo', content: 'url 10.0.2.2' }], '{{ .Name }}': 'x' });
});

test('meta-data: instance-id and local-hostname unless given', async () => {
  const defaults = { instanceId: instanceIdFor('debian-12', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), 'a1b2c3'), hostname: hostnameFor('debian-12') };
  assert.is(defaults.instanceId, 'kiln-debian-12-20240102T030405-a1b2c3');
  const keys = renderMetaData({ 'local-hostname': 'web01', 'public-keys': [KEY] }, defaults);
  await matchesGolden('keys.meta-data', keys.text);
  assert.is(keys.instanceId, defaults.instanceId);
  const literal = renderMetaData('# my meta-data\ninstance-id: fixed-id\n', defaults);
  await matchesGolden('literal.meta-data', literal.text);
  assert.is(literal.instanceId, 'fixed-id');
  assert.equal(renderMetaData('instance-id: a\nlocal-hostname: b\n', defaults), { text: 'instance-id: a\nlocal-hostname: b\n', instanceId: 'a' }, 'complete literal kept as is');
  assert.equal(renderMetaData('', defaults), { text: 'instance-id: kiln-debian-12-20240102T030405-a1b2c3\nlocal-hostname: debian-12\n', instanceId: defaults.instanceId });
  assert.equal(renderMetaData('a: [broken\n', defaults), { text: 'a: [broken\n', instanceId: defaults.instanceId });
  assert.is(renderMetaData({ 'instance-id': 7 }, defaults).instanceId, '7');
});

test('hostnames from template names', () => {
  const cases: [string, string][] = [
    ['debian-12', 'debian-12'],
    ['ubuntu_24.04', 'ubuntu-24-04'],
    ['..x..', 'x'],
    ['_', 'kiln'],
    ['a'.repeat(70), 'a'.repeat(63)],
  ];
  for (const [name, host] of cases) assert.is(hostnameFor(name), host, name);
});

test('network-config and the whole seed', async () => {
  const network = { version: 2, ethernets: { id0: { match: { name: 'en*' }, dhcp4: true } } };
  await matchesGolden('v2.network-config', renderNetworkConfig(network));
  assert.is(renderNetworkConfig('version: 1\nconfig: []\n'), 'version: 1\nconfig: []\n');
  const seed = renderSeed({
    spec: { user_data: {}, meta_data: {}, network_config: network, via: ['http'] },
    user: KEY_ONLY,
    instanceId: 'iid-1',
    hostname: 'h',
  });
  assert.equal(Object.keys(seedFiles(seed)), ['user-data', 'meta-data', 'network-config']);
  assert.equal(Object.keys(seedHttpContent(seed)), ['/cloud-init/user-data', '/cloud-init/meta-data', '/cloud-init/network-config', '/cloud-init/vendor-data']);
  assert.equal(Object.keys(seedHttpContent(seed, '/seed')), ['/seed/user-data', '/seed/meta-data', '/seed/network-config', '/seed/vendor-data']);
  const bare = renderSeed({ spec: { user_data: '#cloud-config\n{}\n', meta_data: {}, via: ['cdrom'] }, instanceId: 'iid-2', hostname: 'h' });
  assert.equal(seedFiles(bare), { 'user-data': '#cloud-config\n{}\n', 'meta-data': 'instance-id: iid-2\nlocal-hostname: h\n' });
  assert.is(bare.instanceId, 'iid-2');
  // meta_data's own instance-id is the one the guest sees, as keys or as a literal.
  const own = (meta_data: CloudInitSpec['meta_data']) => renderSeed({ spec: { user_data: {}, meta_data, via: ['http'] }, instanceId: 'kiln-id', hostname: 'h' }).instanceId;
  assert.is(own({ 'instance-id': 'mine' }), 'mine');
  assert.is(own('instance-id: 42\n'), '42');
  assert.is(own('a: [broken\n'), 'kiln-id', 'unparseable: kiln cannot tell (lint reports it)');
});

test('telling the guest where the seed is', () => {
  assert.is(nocloudSeedArg('http://10.0.2.2:8123/cloud-init/'), 'ds=nocloud-net;s=http://10.0.2.2:8123/cloud-init/');
  assert.is(nocloudSeedArg('http://10.0.2.2:8123/cloud-init'), 'ds=nocloud-net;s=http://10.0.2.2:8123/cloud-init/');
  assert.is(nocloudSeedArg('HTTPS://example.org/seed/'), 'ds=nocloud-net;s=HTTPS://example.org/seed/');
  assert.is(nocloudSeedArg('/var/lib/seed/'), 'ds=nocloud;s=/var/lib/seed/');
});

test.run();
