// The data an image holds, as qemu-img map sees it through the backing chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataBytesOfMap, imageDataBytes } from '../../lib/export/image-data.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { sampleImages } from './images.js';
import { rejection } from '../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-map-'));

test('dataBytesOfMap counts data extents that are not zero', () => {
  assert.is(
    dataBytesOfMap([
      { length: 100, data: true, zero: false },
      { length: 50, data: false, zero: true },
      { length: 30, data: true, zero: true }, // allocated but reads as zeros: nothing to copy
      { length: 7, data: true, zero: false },
    ]),
    107,
  );
  assert.is(dataBytesOfMap([]), 0);
});

test('a written image, an overlay on it, and the overlay after its data is discarded', async () => {
  const { qcow2 } = await sampleImages(dir);
  assert.is(await imageDataBytes(qcow2), (1 << 20) + (512 << 10));
  const overlay = join(dir, 'overlay.qcow2');
  await createDisk(overlay, 16 << 20, 'qcow2', { backing: { path: qcow2, format: 'qcow2' } });
  assert.is(await imageDataBytes(overlay), (1 << 20) + (512 << 10), 'the backing file\'s data counts');
  await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -z -u 0 1M', overlay]);
  assert.is(await imageDataBytes(overlay), 512 << 10, 'zeroed in the overlay: no longer data');
});

test('a missing image is a qemu-img error naming it', async () => {
  assert.match((await rejection(imageDataBytes(join(dir, 'nope.qcow2')))).message, /nope\.qcow2/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
