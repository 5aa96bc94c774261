// The template keys of exports: output.vagrant's and machine.disk_discard, their
// defaults and every way to get them wrong.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxCompression } from '../../lib/builder/steps/vagrant-box.js';
import { unsupportedFeatures } from '../../lib/builder/unsupported.js';
import { issuesOf, lines, load, removeScratch } from '../template/scratch.js';

const BASE = lines('name: t', 'source: { iso: { url: x.iso, checksum: none } }', 'ssh: { username: u }');

test('defaults: discard on, box gzip level 6, vagrant-libvirt\'s v1 layout, no extra Vagrantfile', async () => {
  const t = await load(`${BASE}output: { vagrant: { provider: libvirt } }\n`);
  assert.is(t.machine.disk_discard, true);
  assert.equal(t.output.vagrant, { provider: 'libvirt', layout: 'v1' }, 'compression unset: chosen by the disk inside (boxCompression)');
});

test('every key given: the Vagrantfile path resolves against the template', async () => {
  const t = await load(
    `${BASE}machine: { disk_discard: false }\noutput: { vagrant: { provider: virtualbox, compression: 0, vagrantfile: box/Vagrantfile } }\n`,
    { files: { 'box/Vagrantfile': 'x' } },
  );
  assert.is(t.machine.disk_discard, false);
  assert.equal(t.output.vagrant, { provider: 'virtualbox', compression: 0, layout: 'v1', vagrantfile: join(t.dir, 'box/Vagrantfile') });
});

test('no vagrant key, no box', async () => {
  assert.is((await load(BASE)).output.vagrant, undefined);
});

// [label, yaml lines, issue path, message]
const bad: [string, string, string, RegExp][] = [
  ['compression above 9', 'output: { vagrant: { provider: libvirt, compression: 10 } }', 'output.vagrant.compression', /must be at most 9/],
  ['compression below 0', 'output: { vagrant: { provider: libvirt, compression: -1 } }', 'output.vagrant.compression', /must be at least 0/],
  ['compression not a whole number', 'output: { vagrant: { provider: libvirt, compression: fast } }', 'output.vagrant.compression', /gzip level/],
  ['an unknown layout', 'output: { vagrant: { provider: libvirt, layout: v3 } }', 'output.vagrant.layout', /not one of v1, v2/],
  ['layout for a virtualbox box', 'output: { vagrant: { provider: virtualbox, layout: v2 } }', 'output.vagrant.layout', /libvirt boxes: remove it/],
  ['a missing Vagrantfile', 'output: { vagrant: { provider: libvirt, vagrantfile: nope.rb } }', 'output.vagrant.vagrantfile', /nope\.rb/],
  ['an unknown key, with a suggestion', 'output: { vagrant: { provider: libvirt, compresion: 1 } }', 'output.vagrant.compresion', /did you mean "compression"\?/],
  ['no provider', 'output: { vagrant: { compression: 1 } }', 'output.vagrant', /missing required key "provider"/],
  ['disk_discard not a boolean', 'machine: { disk_discard: sometimes }', 'machine.disk_discard', /expected true or false/],
];
for (const [label, yaml, path, message] of bad) {
  test(`refused: ${label}`, async () => {
    const issues = await issuesOf(`${BASE}${yaml}\n`);
    const issue = issues.find((i) => i.path === path);
    assert.ok(issue, `no issue at ${path}: ${JSON.stringify(issues)}`);
    assert.match(issue!.message, message);
  });
}

test('a name too long for an OVA\'s members is refused only when an OVA is built', async () => {
  const long = `name: ${'n'.repeat(88)}\nsource: { iso: { url: x.iso, checksum: none } }\nssh: { username: u }\n`;
  const issues = await issuesOf(`${long}output: { formats: [ova] }\n`);
  assert.ok(issues.some((i) => i.path === 'name' && /at most 87/.test(i.message)), JSON.stringify(issues));
  await load(`${long}output: { formats: [qcow2] }\n`);
  await load(`name: ${'n'.repeat(87)}\nsource: { iso: { url: x.iso, checksum: none } }\nssh: { username: u }\noutput: { formats: [ova] }\n`);
});

test('OVA and Vagrant boxes are no longer refused at build time', async () => {
  const t = await load(`${BASE}output: { formats: [qcow2, ova], vagrant: { provider: libvirt } }\n`);
  assert.equal(unsupportedFeatures(t).filter((i) => i.path.startsWith('output')), []);
});

test.after(removeScratch);

test('the box gzip level: the template\'s, else stored for a disk that is compressed already, else 6', () => {
  const table: [number | undefined, Parameters<typeof boxCompression>[1], number][] = [
    [undefined, { format: 'qcow2', compress: true }, 0],
    [undefined, { format: 'qcow2', compress: false }, 6],
    [undefined, { format: 'vmdk', compress: false, vmdkSubformat: 'streamOptimized' }, 0],
    [9, { format: 'qcow2', compress: true }, 9],
    [0, { format: 'qcow2', compress: false }, 0],
  ];
  for (const [level, disk, expected] of table) assert.is(boxCompression(level, disk), expected, JSON.stringify([level, disk]));
});

test.run();
