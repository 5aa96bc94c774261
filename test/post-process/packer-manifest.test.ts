// The manifest post-processor writes Packer's shape, and appends builds across runs.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendPackerBuild, type AppendBuildOptions } from '../../lib/post-process/packer-manifest.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

const build = (dir: string, uuid: string): AppendBuildOptions['build'] => ({
  name: 'debian-12',
  builder_type: 'qemu',
  build_time: 1_700_000_000,
  files: [
    { path: join(dir, 'output/debian-12/debian-12.qcow2'), size: 10 },
    { path: join(dir, 'output/debian-12/debian-12.libvirt.box'), size: 20 },
  ],
  artifact_id: 'VM',
  packer_run_uuid: uuid,
  custom_data: { built_by: 'kiln' },
});

test("a first build creates the file in Packer's shape; a second is appended and becomes the last run", async () => {
  const dir = await scratch({});
  const path = join(dir, 'packer-manifest.json');
  await appendPackerBuild({ path, baseDir: dir, stripPath: false, build: build(dir, 'uuid-1') });
  const first = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(first, {
    builds: [
      {
        name: 'debian-12',
        builder_type: 'qemu',
        build_time: 1_700_000_000,
        files: [
          { name: 'output/debian-12/debian-12.qcow2', size: 10 },
          { name: 'output/debian-12/debian-12.libvirt.box', size: 20 },
        ],
        artifact_id: 'VM',
        packer_run_uuid: 'uuid-1',
        custom_data: { built_by: 'kiln' },
      },
    ],
    last_run_uuid: 'uuid-1',
  });
  assert.equal(Object.keys(first.builds[0]), ['name', 'builder_type', 'build_time', 'files', 'artifact_id', 'packer_run_uuid', 'custom_data']);
  await appendPackerBuild({ path, baseDir: dir, stripPath: true, build: { ...build(dir, 'uuid-2'), builder_type: 'virtualbox-iso', custom_data: null } });
  const second = JSON.parse(readFileSync(path, 'utf8'));
  assert.is(second.builds.length, 2);
  assert.equal(second.builds[0], first.builds[0]);
  assert.equal(second.builds[1].files, [
    { name: 'debian-12.qcow2', size: 10 },
    { name: 'debian-12.libvirt.box', size: 20 },
  ]);
  assert.is(second.builds[1].builder_type, 'virtualbox-iso');
  assert.is(second.builds[1].custom_data, null);
  assert.is(second.last_run_uuid, 'uuid-2');
});

test('builds Packer itself wrote are kept as they are', async () => {
  const dir = await scratch({});
  const path = join(dir, 'm.json');
  const packers = { builds: [{ name: 'docker', builder_type: 'docker', build_time: 1, files: null, artifact_id: 'Container', packer_run_uuid: 'p', custom_data: null }], last_run_uuid: 'p' };
  await writeFile(path, JSON.stringify(packers));
  await appendPackerBuild({ path, baseDir: dir, stripPath: false, build: build(dir, 'k') });
  const after = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(after.builds[0], packers.builds[0]);
  assert.is(after.last_run_uuid, 'k');
});

test('a file that is not a manifest is not overwritten: E_POST_PROCESS naming it', async () => {
  const dir = await scratch({ 'notes.json': 'hello', 'list.json': '[1]' });
  for (const name of ['notes.json', 'list.json']) {
    const path = join(dir, name);
    const before = readFileSync(path, 'utf8');
    const error = await kilnRejection(appendPackerBuild({ path, baseDir: dir, stripPath: false, build: build(dir, 'x') }), name);
    assert.is(error.code, 'E_POST_PROCESS');
    assert.match(error.message, `${path} is not a Packer manifest`);
    assert.is(readFileSync(path, 'utf8'), before);
  }
});

test.run();
