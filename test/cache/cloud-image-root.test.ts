// The root layer of a cloud-image build: a converted copy of source.disk, or with
// `backing: true` an overlay on a hard link to the image in the layer, which must stay
// as it was for the layer to be used. The install layer keeps the cloud-init instance-id.
import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { openBuildCache, removeScratch, scratch } from './scratch.js';

const exec = promisify(execFile);
test.after(removeScratch);

const TEMPLATE = (backing: boolean) => `
name: ci
source: { disk: { url: image.qcow2, checksum: none, backing: ${backing} } }
machine: { disk: 32M }
cloud_init: { user_data: { runcmd: [ls] } }
ssh: { username: kiln }
`;

// A verified checksum identifies the source, so the image itself may be gone.
const open = (dir: string) => openBuildCache(dir, join(dir, 'cache'), 'image.qcow2');

async function info(path: string): Promise<{ 'virtual-size': number; 'backing-filename'?: string }> {
  return JSON.parse((await exec('qemu-img', ['info', '--output=json', path])).stdout);
}

for (const backing of [false, true]) {
  test(`backing: ${backing}: the first disk is ${backing ? 'an overlay on' : 'a copy of'} the image, grown to machine.disk; a resumed build gets the same instance-id`, async () => {
    const dir = await scratch({ 'kiln.yaml': TEMPLATE(backing) });
    const image = join(dir, 'image.qcow2');
    await createDisk(image, 16 << 20, 'qcow2');
    const signal = new AbortController().signal;

    const first = await open(dir);
    const disk = await first.cache.prepareDisk(signal, { path: image, backing });
    const made = await info(disk.path);
    assert.is(made['virtual-size'], 32 << 20);
    assert.is(made['backing-filename'], backing ? `${disk.path}.base` : undefined);
    // An install layer, stored as if the guest had powered off.
    await first.cache.checkpointStopped('install', { instanceId: 'kiln-ci-1' });
    await first.cache.close({ failed: false, cancelled: false, keepFiles: false });

    const again = await open(dir);
    assert.is(again.cache.resumed?.record.stage, 'install', again.log.lines.join('\n'));
    assert.is(again.cache.instanceId, 'kiln-ci-1');
    await again.cache.close({ failed: false, cancelled: false, keepFiles: false });

    if (!backing) return;
    // The download cache renames a new file over the image's path: the layer keeps the old bytes.
    await exec('mv', [image, `${image}.old`]);
    await createDisk(image, 8 << 20, 'qcow2');
    const replaced = await open(dir);
    assert.is(replaced.cache.resumed?.record.stage, 'install', replaced.log.lines.join('\n'));
    await replaced.cache.close({ failed: false, cancelled: false, keepFiles: false });
    // Written in place, the pinned image is no longer what the layer was made on.
    await appendFile(`${disk.path}.base`, Buffer.alloc(512));
    const written = await open(dir);
    assert.is(written.cache.resumed, undefined);
    assert.ok(written.log.lines.some((l) => l.includes(`the image it overlays (${disk.path}.base) was written to since`)), written.log.lines.join('\n'));
    await written.cache.close({ failed: true, cancelled: false, keepFiles: false });
  });
}

test.run();
