// The root layer of a cloud-image build: a converted copy of source.disk, or with
// `backing: true` an overlay on the image itself, which then must still be there for
// the layer to be used. The install layer keeps the cloud-init instance-id.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
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
    assert.is(made['backing-filename'], backing ? image : undefined);
    // An install layer, stored as if the guest had powered off.
    await first.cache.checkpointStopped('install', { instanceId: 'kiln-ci-1' });
    await first.cache.close({ failed: false, cancelled: false, keepFiles: false });

    const again = await open(dir);
    assert.is(again.cache.resumed?.record.stage, 'install', again.log.lines.join('\n'));
    assert.is(again.cache.instanceId, 'kiln-ci-1');
    await again.cache.close({ failed: false, cancelled: false, keepFiles: false });

    if (!backing) return;
    // The overlay is useless without its image: the layer is dropped, the install runs again.
    await exec('mv', [image, `${image}.moved`]);
    const gone = await open(dir);
    assert.is(gone.cache.resumed, undefined);
    assert.ok(gone.log.lines.some((l) => l.includes(`the image it overlays (${image}) is gone`)), gone.log.lines.join('\n'));
    await gone.cache.close({ failed: true, cancelled: false, keepFiles: false });
    await rm(`${image}.moved`);
  });
}

test.run();
