// Stage keys: every input that determines a layer changes its key (and the keys of the
// stages after it); edits that change no resolved value change none.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chainKeys, canonicalJson, stageKey } from '../../lib/cache/keys.js';
import { stageDefinitions } from '../../lib/cache/stage-inputs.js';
import { explainMiss } from '../../lib/cache/explain.js';
import { loadTemplate, type LoadOptions } from '../../lib/template/load.js';
import { put, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const SOURCE = `sha256:${'a'.repeat(64)}`;

const TEMPLATE = `# a template for key tests
name: keys
variables:
  greeting: { default: hello }
source: { iso: { url: x.iso, checksum: "${SOURCE}" } }
machine: { cpus: 2, memory: 512, disk: 4G }
http:
  directory: http
  content:
    /ks.cfg: |
      user kiln
      authorized_key {{ .SSHPublicKey }}
boot:
  wait: 1s
  command: ["install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>"]
ssh: { username: kiln, timeout: 5m }
provision:
  - shell: { inline: ["echo {{ var \`greeting\` }}"], env: { A: "1" } }
  - shell: { script: scripts/setup.sh, sudo: true }
  - file: { source: files/motd, destination: /etc/motd }
  - file: { source: files/dir/, destination: /opt/dir }
shutdown: { command: sudo shutdown -P now }
output: { directory: out, formats: [qcow2] }
`;

const FILES = {
  'x.iso': '', // a local source must exist to validate
  'http/preseed.cfg': 'd-i foo\n',
  'scripts/setup.sh': '#!/bin/sh\necho setup\n',
  'files/motd': 'welcome\n',
  'files/dir/a.conf': 'a\n',
  'files/dir/sub/': '',
  'id_test': 'not really a key\n',
};

const LABELS = ['install', 'provision[0]', 'provision[1]', 'provision[2]', 'provision[3]', 'shutdown'];

async function project(text = TEMPLATE): Promise<string> {
  return scratch({ ...FILES, 'kiln.yaml': text });
}

async function keysOf(dir: string, options: LoadOptions = {}, sourceId = SOURCE): Promise<string[]> {
  const t = await loadTemplate(join(dir, 'kiln.yaml'), options);
  return chainKeys(await stageDefinitions(t, sourceId));
}

/** The label of the first stage whose key differs; undefined when none does. */
function firstChanged(before: string[], after: string[]): string | undefined {
  assert.is(after.length, before.length, 'the stages changed');
  const i = before.findIndex((k, n) => k !== after[n]);
  if (i < 0) return undefined;
  for (let n = i; n < before.length; n++) assert.is.not(after[n], before[n], `stage ${LABELS[n]} kept its key after ${LABELS[i]} changed`);
  return LABELS[i];
}

type Change = [what: string, stage: string, edit: (dir: string) => Promise<LoadOptions | void>, sourceId?: string];
const text = (from: string | RegExp, to: string) => async (dir: string) => {
  const file = join(dir, 'kiln.yaml');
  const before = await readFile(file, 'utf8');
  const after = before.replace(from, to);
  assert.is.not(after, before, `the edit ${String(from)} did not apply`);
  await writeFile(file, after);
};
const file = (name: string, content: string) => (dir: string) => put(dir, { [name]: content });

const CHANGES: Change[] = [
  ['the source checksum', 'install', async () => {}, `sha256:${'b'.repeat(64)}`],
  ['machine.disk', 'install', text('disk: 4G', 'disk: 5G')],
  ['machine.memory', 'install', text('memory: 512', 'memory: 1G')],
  ['machine.firmware', 'install', text('disk: 4G', 'disk: 4G, firmware: efi')],
  ['machine.qemu.machine', 'install', text('disk: 4G', 'disk: 4G, qemu: { machine: q35 }')],
  ['machine.qemu.args', 'install', text('disk: 4G', 'disk: 4G, qemu: { args: [-vga, std] }')],
  ['the boot command', 'install', text('ks.cfg<enter>', 'ks.cfg quiet<enter>')],
  ['an answer file in http.content', 'install', text('user kiln', 'user other')],
  ['a file in http.directory', 'install', file('http/preseed.cfg', 'd-i bar\n')],
  ['a new file in http.directory', 'install', file('http/late.sh', 'echo\n')],
  ['the SSH key (a given key instead of a generated one)', 'install', text('username: kiln,', 'username: kiln, private_key: id_test,')],
  ['cloud_init data', 'install', text('boot:\n', 'cloud_init: { user_data: { hostname: x } }\nboot:\n')],
  ['inline commands', 'provision[0]', text('echo {{', 'echo -n {{')],
  ['a variable used by a provisioner', 'provision[0]', async () => ({ vars: { greeting: 'bye' } })],
  ['env', 'provision[0]', text('A: "1"', 'A: "2"')],
  ['a script\'s content', 'provision[1]', file('scripts/setup.sh', '#!/bin/sh\necho changed\n')],
  ['sudo', 'provision[1]', text('sudo: true }', 'sudo: false }')],
  ['an uploaded file\'s content', 'provision[2]', file('files/motd', 'changed\n')],
  ['an uploaded file\'s mode', 'provision[2]', (dir) => chmod(join(dir, 'files/motd'), 0o600)],
  ['a destination', 'provision[2]', text('/etc/motd', '/etc/issue')],
  ['a file in an uploaded directory', 'provision[3]', file('files/dir/sub/b.conf', 'b\n')],
  ['the trailing slash of a directory source', 'provision[3]', text('files/dir/,', 'files/dir,')],
  ['the shutdown command', 'shutdown', text('sudo shutdown -P now', 'sudo poweroff')],
];

for (const [what, stage, edit, sourceId] of CHANGES) {
  test(`changing ${what} changes the key from ${stage} on`, async () => {
    const dir = await project();
    const before = await keysOf(dir);
    const options = (await edit(dir)) ?? {};
    assert.is(firstChanged(before, await keysOf(dir, options, sourceId ?? SOURCE)), stage);
  });
}

test('with cloud_init, the login kiln adds to the seed (user, password) is part of the install key', async () => {
  const dir = await project();
  await text('boot:\n', 'cloud_init: {}\nboot:\n')(dir);
  const before = await keysOf(dir);
  await text('ssh: { username: kiln,', 'ssh: { username: vagrant,')(dir);
  const renamed = await keysOf(dir);
  assert.is(firstChanged(before, renamed), 'install');
  await text('ssh: { username: vagrant,', 'ssh: { username: vagrant, password: secret,')(dir);
  assert.is(firstChanged(renamed, await keysOf(dir)), 'install');
});

test('a cloud image: another last provisioner on the same image and seed keeps the install, the booted and configured guest', async () => {
  const dir = await project();
  await text(/source: .*\n/, `source: { disk: { path: x.iso, checksum: "${SOURCE}" } }\ncloud_init: { user_data: { packages: [curl] } }\n`)(dir);
  await text(/boot:\n(.*\n){2}/, '')(dir);
  const before = await keysOf(dir);
  await text('destination: /opt/dir', 'destination: /opt/other')(dir);
  assert.is(firstChanged(before, await keysOf(dir)), 'provision[3]');
  await text('packages: [curl]', 'packages: [wget]')(dir);
  assert.is(firstChanged(before, await keysOf(dir)), 'install', 'the seed is part of the install');
});

const SAME: [what: string, edit: (dir: string) => Promise<void>][] = [
  ['comments and blank lines', text('# a template for key tests\n', '\n# another comment\n\n')],
  ['key order', text('machine: { cpus: 2, memory: 512, disk: 4G }', 'machine: { disk: 4G, memory: 512, cpus: 2 }')],
  ['quoting and flow vs block style', text('  - shell: { inline: ["echo {{ var \`greeting\` }}"], env: { A: "1" } }', "  - shell:\n      env:\n        A: '1'\n      inline:\n        - echo {{ var `greeting` }}")],
  ['the same boot command split over two lines', text('["install ks=', '["install ", "ks=')],
  ['the same size written differently', text('disk: 4G', 'disk: 4096M')],
  ['cpus, accel, boot.wait and ssh.timeout (they only change speed)', text('cpus: 2,', 'cpus: 1, accel: tcg,')],
  ['boot.wait', text('wait: 1s', 'wait: 5s')],
  ['output formats and directory', text('output: { directory: out, formats: [qcow2] }', 'output: { directory: elsewhere, formats: [raw, qcow2] }')],
  ['cache: true written out', text('sudo: true }', 'sudo: true, cache: true }')],
  ['a file only touched', async (dir) => chmod(join(dir, 'scripts/setup.sh'), 0o755)],
  ['cache.memory (a layer keeps the guest memory or not; its disk is the same)', text('shutdown: {', 'cache: { memory: false }\nshutdown: {')],
];

for (const [what, edit] of SAME) {
  test(`${what}: no key changes`, async () => {
    const dir = await project();
    const before = await keysOf(dir);
    await edit(dir);
    assert.is(firstChanged(before, await keysOf(dir)), undefined);
  });
}

test('the same template in another directory has the same keys (paths are not inputs, contents are)', async () => {
  assert.equal(await keysOf(await project()), await keysOf(await project()));
});

test('cache: false makes that provisioner and every later stage uncacheable', async () => {
  const dir = await project(TEMPLATE.replace('sudo: true }', 'sudo: true, cache: false }'));
  const t = await loadTemplate(join(dir, 'kiln.yaml'));
  const stages = await stageDefinitions(t, SOURCE);
  assert.equal(stages.map((s) => s.cacheable), [true, true, false, false, false, false]);
});

test('ssh: none has one stage, the install, taken after the guest powers off', async () => {
  const dir = await project(TEMPLATE.replace(/ssh: .*\n/, 'ssh: none\n').replace(/provision:[\s\S]*?shutdown: .*\n/, ''));
  const stages = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
  assert.equal(stages.map((s) => [s.label, s.state]), [['install', 'stopped']]);
});

test('a miss names what changed, in the words of the template', async () => {
  const dir = await project();
  const t1 = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
  await put(dir, { 'scripts/setup.sh': '#!/bin/sh\necho v2\n' });
  const t2 = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), SOURCE);
  assert.is(explainMiss('provision[1]', t2[2]!.inputs, t1[2]!.inputs), 'provision[1]: script scripts/setup.sh changed');
  assert.is(explainMiss('install', t2[0]!.inputs, t1[0]!.inputs), 'install: an earlier stage changed');
});

test('canonical JSON sorts keys at every level; the stage key covers parent, kind and inputs', () => {
  assert.is(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } }), '{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}');
  const base = stageKey(null, { kind: 'install', inputs: { x: '1' } });
  assert.is.not(stageKey('p', { kind: 'install', inputs: { x: '1' } }), base);
  assert.is.not(stageKey(null, { kind: 'provision', inputs: { x: '1' } }), base);
  assert.is.not(stageKey(null, { kind: 'install', inputs: { x: '2' } }), base);
  assert.is(stageKey(null, { kind: 'install', inputs: { x: '1' } }), base);
});

test.run();
