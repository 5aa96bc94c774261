// Packer post-processor chains -> output.vagrant and post_process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackerValue, PluginConfig } from '../../../lib/packer/model.js';
import { translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { assertOriginsMatch, block, lineOf, MINIMAL_QEMU, packerBuild, schemaFindingsToday } from './packer-build.js';

function translate(chains: PluginConfig[][], type = 'qemu') {
  const extra: Record<string, PackerValue> = type === 'virtualbox-iso' ? { guest_additions_mode: 'disable', virtualbox_version_file: '' } : {};
  const translation = translateBuild(packerBuild(block(type, { ...MINIMAL_QEMU, ...extra }), [], chains));
  assertOriginsMatch(translation.document, translation.origins);
  if (!translation.problems.length) assert.equal(schemaFindingsToday(translation.document), []);
  const output = translation.document.output as Record<string, unknown>;
  return { ...translation, vagrant: output.vagrant, postProcess: translation.document.post_process };
}

test('vagrant: the provider follows the builder, the keys kiln has are kept', () => {
  const box = block('vagrant', { compression_level: 6, vagrantfile_template: 'Vagrantfile.tpl', output: 'boxes/{{ .BuildName }}-{{ .Provider }}.box', keep_input_artifact: true });
  const { vagrant, notes, problems } = translate([[box]]);
  assert.equal(problems, []);
  assert.equal(vagrant, { provider: 'libvirt', compression: 6, vagrantfile: 'Vagrantfile.tpl', output: 'boxes/{{ .BuildName }}-{{ .Provider }}.box' });
  assert.equal(notes.map((n) => n.pos.line), [lineOf(box, 'vagrantfile_template'), lineOf(box, 'keep_input_artifact')]);
  assert.equal(translate([[block('vagrant', {})]], 'virtualbox-iso').vagrant, { provider: 'virtualbox' });
});

test('vagrant: provider_override is checked against the builder\'s provider', () => {
  assert.equal(translate([[block('vagrant', { provider_override: 'libvirt' })]]).problems, []);
  const wrong = block('vagrant', { provider_override: 'virtualbox' });
  assert.equal(translate([[wrong]]).problems.map((p) => [p.pos.line, p.message]), [
    [lineOf(wrong, 'provider_override'), 'provider_override: kiln makes libvirt boxes from a qemu build, not "virtualbox"'],
  ]);
});

test('vagrant: a second box, vagrant-cloud and a box made from another post-processor\'s output are problems', () => {
  const first = block('vagrant', {});
  const cloud = block('vagrant-cloud', { box_tag: 'me/debian' });
  const second = block('vagrant', {});
  const late = block('vagrant', {});
  const { problems } = translate([[first, cloud], [second], [block('manifest', {}), late]]);
  assert.equal(problems.map((p) => [p.pos.line, p.message.split(':')[0]]), [
    [cloud.pos.line, 'vagrant-cloud post-processor'],
    [second.pos.line, 'vagrant post-processor'],
    [late.pos.line, 'vagrant post-processor'],
  ]);
  assert.match(problems[0]!.message, /kiln does not upload boxes: remove it, and add the box to a catalog with kiln publish/);
  assert.match(problems[1]!.message, /one Vagrant box per build/);
  assert.match(problems[2]!.message, /put vagrant first in its chain/);
});

test('checksum, manifest and shell-local chained after a box: run on every exported file, with a note', () => {
  const box = block('vagrant', { output: 'x.box' });
  const sums = block('checksum', { checksum_types: ['sha256'] });
  const local = block('shell-local', { inline: ['ls'] });
  const { vagrant, postProcess, notes, problems } = translate([[box, sums, local]]);
  assert.equal(problems, []);
  assert.equal(vagrant, { provider: 'libvirt', output: 'x.box' });
  assert.equal(postProcess, [{ checksum: { types: ['sha256'] } }, { 'shell-local': { inline: ['ls'] } }]);
  assert.equal(notes.map((n) => n.pos.line), [sums.pos.line, local.pos.line]);
  assert.match(notes[0]!.message, /^checksum post-processor is chained: kiln runs it on every file the build exported/);
});

test('vagrant: extra files in the box are a problem at include', () => {
  const box = block('vagrant', { include: ['README'] });
  assert.equal(translate([[box]]).problems.map((p) => [p.pos.line, p.message]), [
    [lineOf(box, 'include'), 'include: kiln packs only its own files into the box: remove it'],
  ]);
});

test('checksum, manifest and shell-local, in order', () => {
  const sums = block('checksum', { checksum_types: ['sha256', 'sha512'], output: 'x_{{.ChecksumType}}.checksum' });
  const defaultSums = block('checksum', {});
  const manifest = block('manifest', { output: 'manifest.json', strip_path: true, strip_time: true, custom_data: { ci: 'yes', run: 7 } });
  const local = block('shell-local', { scripts: ['post.sh'], environment_vars: ['A=1'], env: { B: '2' } });
  const { postProcess, notes, problems } = translate([[sums], [defaultSums], [manifest], [local]]);
  assert.equal(problems, []);
  assert.equal(postProcess, [
    { checksum: { types: ['sha256', 'sha512'] } },
    { checksum: { types: ['md5'] } },
    { manifest: { output: 'manifest.json', strip_path: true, custom_data: { ci: 'yes', run: '7' } } },
    { 'shell-local': { scripts: ['post.sh'], env: { A: '1', B: '2' } } },
  ]);
  assert.equal(notes.map((n) => n.pos.line), [lineOf(sums, 'output'), lineOf(manifest, 'strip_time')]);
});

test('a box then checksum and manifest in their own chains: the box is output.vagrant, the rest are listed', () => {
  const { vagrant, postProcess, problems } = translate([[block('vagrant', {})], [block('checksum', { checksum_types: 'sha256' })], [block('manifest', {})]]);
  assert.equal(problems, []);
  assert.equal(vagrant, { provider: 'libvirt' });
  assert.equal(postProcess, [{ checksum: { types: ['sha256'] } }, { manifest: {} }]);
});

test('unknown post-processors are problems; shell-local keys kiln cannot honour too', () => {
  const upload = block('amazon-import', {});
  const local = block('shell-local', { inline: ['true'], execute_command: ['bash', '-c', '{{.Vars}} {{.Script}}'], valid_exit_codes: [0, 1] });
  const { problems } = translate([[upload], [local]]);
  assert.equal(problems.map((p) => p.pos.line), [upload.pos.line, lineOf(local, 'execute_command'), lineOf(local, 'valid_exit_codes')]);
  assert.match(problems[0]!.message, /checksum, compress, manifest, shell-local and vagrant post-processors only/);
});

// [label, Packer settings, kiln's compress mapping, keys that get a note]
const compressCases: [string, Record<string, PackerValue>, Record<string, unknown>, string[]][] = [
  ['an archive name in the output directory', { output: 'disk.tar.gz', compression_level: 9, keep_input_artifact: true }, { format: 'tar.gz', level: 9, keep_originals: true, output: 'disk.tar.gz' }, []],
  ['.tgz is tar.gz; a folder is dropped with a note', { output: 'dist/disk.tgz' }, { format: 'tar.gz', output: 'disk.tgz' }, ['output']],
  ['.gz gzips each file', { output: 'log_{{.BuildName}}.gz' }, { format: 'gz' }, ['output']],
  ['format wins over the extension', { output: 'archive.bin', format: 'tar.gz' }, { format: 'tar.gz' }, ['output']],
  ['a placeholder in the name: kiln\'s own name', { output: 'packer_{{.BuildName}}.tar.gz' }, { format: 'tar.gz' }, ['output']],
  ['no output: the default name, noted on the block', {}, { format: 'tar.gz' }, ['(block)']],
];
for (const [label, settings, want, notedKeys] of compressCases) {
  test(`compress: ${label}`, () => {
    const compress = block('compress', settings);
    const { postProcess, notes, problems } = translate([[compress]]);
    assert.equal(problems, []);
    assert.equal(postProcess, [{ compress: want }]);
    assert.equal(notes.map((n) => n.pos.line), notedKeys.map((k) => (k === '(block)' ? compress.pos.line : lineOf(compress, k))));
  });
}

test('compress: zip and lz4 are problems at the key that chose them', () => {
  const zip = block('compress', { output: 'x.zip' });
  const lz4 = block('compress', { output: 'x.tar.gz', format: 'lz4' });
  const { problems } = translate([[zip], [lz4]]);
  assert.equal(problems.map((p) => p.pos.line), [lineOf(zip, 'output'), lineOf(lz4, 'format')]);
  assert.match(problems[1]!.message, /kiln writes tar\.gz, gz or zst, not lz4/);
});

test('vagrant: override for the build\'s provider is merged in, the others noted; no output is noted', () => {
  const box = block('vagrant', { compression_level: 9, override: { libvirt: { compression_level: 1, output: 'libvirt.box' }, virtualbox: { compression_level: 3 } } });
  const { vagrant, notes, problems } = translate([[box]]);
  assert.equal(problems, []);
  assert.equal(vagrant, { provider: 'libvirt', compression: 1, output: 'libvirt.box' });
  assert.equal(notes.map((n) => [n.pos.line, n.message]), [
    [lineOf(box, 'override'), 'override: kiln makes only the libvirt box; the settings for virtualbox are ignored'],
  ]);
  const bare = block('vagrant', {});
  assert.match(translate([[bare]]).notes.find((n) => n.pos.line === bare.pos.line)?.message ?? '', /^no output: Packer writes packer_\{\{ \.BuildName \}\}_/);
});

test('shell-local: a single command is an inline script', () => {
  const local = block('shell-local', { command: 'echo done' });
  assert.equal(translate([[local]]).postProcess, [{ 'shell-local': { inline: ['echo done'] } }]);
});

test.run();
