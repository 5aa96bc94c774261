// The post-process step on small real files: the post_process list in order, on what
// export and vagrant-box recorded in ctx.exports.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { postProcess } from '../../lib/builder/steps/post-process.js';
import { KilnError } from '../../lib/errors.js';
import { memoryLog } from '../../lib/log/log.js';
import { Masker } from '../../lib/log/mask.js';
import { rejection } from '../helpers/rejection.js';
import { REPO } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A template directory with an output directory holding what export and vagrant-box wrote. */
async function built() {
  const dir = await scratch({ 'out/box.qcow2': 'disk', 'out/box.libvirt.box': 'box' });
  const outputDir = join(dir, 'out');
  const exports = [
    { file: 'box.qcow2', format: 'qcow2', bytes: 4, sha256: sha256('disk') },
    { file: 'box.libvirt.box', format: 'vagrant-libvirt', bytes: 3, sha256: sha256('box') },
  ];
  const log = Object.assign(memoryLog(), { masker: new Masker(['s3cret-token']) });
  const ctx = { outputDir, log, exports } as unknown as BuildContext;
  return { dir, outputDir, log, ctx };
}

test('checksum, manifest and shell-local in order: SUMS files, a Packer manifest, a script that sees both', async () => {
  const b = await built();
  const manifest = join(b.dir, 'packer-manifest.json');
  const step = postProcess({
    name: 'box',
    hypervisor: 'virtualbox',
    templateDir: b.dir,
    postProcessors: [
      { type: 'checksum', types: ['sha256', 'sha512'] },
      { type: 'manifest', output: manifest, strip_path: false, custom_data: { by: 'kiln', token: 's3cret-token' } },
      {
        type: 'shell-local',
        inline: ['ls "$KILN_OUTPUT_DIR" > listing', 'echo "$KILN_BUILD_NAME|$KILN_BUILDER|$PACKER_BUILD_NAME|$PACKER_BUILDER_TYPE|$KILN_ARTIFACTS|$MINE" > marker', 'echo done'],
        env: { MINE: 'mine' },
      },
    ],
  });
  await step.run(b.ctx, new AbortController().signal);
  for (const tool of ['sha256sum', 'sha512sum']) {
    const sums = `${tool.replace('sum', '').toUpperCase()}SUMS`;
    assert.is(execFileSync(tool, ['-c', sums], { cwd: b.outputDir, encoding: 'utf8' }), 'box.qcow2: OK\nbox.libvirt.box: OK\n');
  }
  const packer = JSON.parse(readFileSync(manifest, 'utf8'));
  assert.is(packer.builds.length, 1);
  assert.equal(packer.builds[0].files, [
    { name: 'out/box.qcow2', size: 4 },
    { name: 'out/box.libvirt.box', size: 3 },
  ]);
  assert.is(packer.builds[0].builder_type, 'virtualbox-iso');
  assert.is(packer.builds[0].artifact_id, 'VM');
  assert.equal(packer.builds[0].custom_data, { by: 'kiln', token: '<sensitive>' });
  assert.match(packer.last_run_uuid, /^[0-9a-f-]{36}$/);
  assert.is(packer.builds[0].packer_run_uuid, packer.last_run_uuid);
  // The script ran in the template's directory, after the SUMS files were written.
  assert.is(readFileSync(join(b.dir, 'listing'), 'utf8'), 'SHA256SUMS\nSHA512SUMS\nbox.libvirt.box\nbox.qcow2\n');
  const artifacts = `${join(b.outputDir, 'box.qcow2')} ${join(b.outputDir, 'box.libvirt.box')}`;
  assert.is(readFileSync(join(b.dir, 'marker'), 'utf8'), `box|virtualbox|box|virtualbox-iso|${artifacts}|mine\n`);
  assert.ok(b.log.lines.includes('stdout post_process[2] shell-local: done'), b.log.lines.join('\n'));
  assert.ok(b.log.lines.includes('info: post_process[0] checksum: wrote SHA256SUMS, SHA512SUMS'), b.log.lines.join('\n'));
});

test('a failing shell-local fails the step with E_POST_PROCESS naming its index; later post-processors do not run', async () => {
  const b = await built();
  const step = postProcess({
    name: 'box',
    hypervisor: 'qemu',
    templateDir: b.dir,
    postProcessors: [
      { type: 'shell-local', inline: ['echo broken >&2', 'exit 7'], env: {} },
      { type: 'checksum', types: ['md5'] },
    ],
  });
  const error = await rejection(step.run(b.ctx, new AbortController().signal));
  assert.instance(error, KilnError);
  assert.is((error as KilnError).code, 'E_POST_PROCESS');
  assert.match(error.message, /^post_process\[0\] shell-local: the inline commands exited with code 7:\nbroken$/);
  assert.ok(b.log.lines.includes('stderr post_process[0] shell-local: broken'));
  assert.not.ok(existsSync(join(b.outputDir, 'MD5SUMS')));
});

test('compress replaces the images it packs (not the box) in the output and in what later post-processors see', async () => {
  const b = await built();
  const step = postProcess({
    name: 'box',
    hypervisor: 'qemu',
    templateDir: b.dir,
    postProcessors: [
      { type: 'compress', format: 'zst', level: 3, output: 'box.tar.gz', keep_originals: false },
      { type: 'shell-local', inline: ['echo "$KILN_ARTIFACTS" > artifacts'], env: {} },
    ],
  });
  await step.run(b.ctx, new AbortController().signal);
  assert.equal(b.ctx.exports.map((e) => [e.file, e.format]), [['box.libvirt.box', 'vagrant-libvirt'], ['box.qcow2.zst', 'zst']]);
  assert.not.ok(existsSync(join(b.outputDir, 'box.qcow2')));
  assert.is(execFileSync('zstd', ['-dc', join(b.outputDir, 'box.qcow2.zst')], { encoding: 'utf8' }), 'disk');
  assert.is(readFileSync(join(b.dir, 'artifacts'), 'utf8'), `${join(b.outputDir, 'box.libvirt.box')} ${join(b.outputDir, 'box.qcow2.zst')}\n`);
});

test('a plugin post-processor runs through the same step, with the artifacts so far', async () => {
  const b = await built();
  Object.assign(b.ctx, { template: { name: 'box', dir: b.dir } });
  const module = join(REPO, 'test/fixtures/plugins/guest-file.mjs');
  const step = postProcess({
    name: 'box',
    hypervisor: 'qemu',
    templateDir: b.dir,
    postProcessors: [{ type: 'plugin', kind: 'artifact-list', module, options: { file: 'LIST' }, cache: false }],
  });
  await step.run(b.ctx, new AbortController().signal);
  assert.is(readFileSync(join(b.outputDir, 'LIST'), 'utf8'), `${sha256('disk')}  box.qcow2  qcow2\n${sha256('box')}  box.libvirt.box  vagrant-libvirt\n`);
});

test.run();
