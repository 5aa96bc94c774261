// create-disk without the stage cache: an empty disk for an installer; for a cloud image
// a copy or an overlay grown to machine.disk, with a warning when no seed will configure it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { createDisk } from '../../lib/builder/steps/create-disk.js';
import { createDisk as createImage } from '../../lib/hypervisor/qemu/qemu-img.js';
import { memoryLog } from '../../lib/log/log.js';

const exec = promisify(execFile);
const info = async (path: string) => JSON.parse((await exec('qemu-img', ['info', '--output=json', path])).stdout) as { 'virtual-size': number; 'backing-filename'?: string };

async function run(source: 'iso' | 'disk', options: { backing?: boolean; cloudInit?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-create-disk-'));
  const image = join(dir, 'image.qcow2');
  await createImage(image, 16 << 20, 'qcow2');
  const log = memoryLog();
  const ctx = { workDir: dir, source: { path: image }, log } as unknown as BuildContext;
  const step = createDisk({
    name: 't',
    sizeBytes: 32 << 20,
    ...(source === 'disk' ? { image: { urls: [image], checksum: { kind: 'none' }, backing: options.backing ?? false } } : {}),
    seeded: options.cloudInit ?? false,
    ssh: { username: 'kiln', port: 22, timeout_ms: 1000 },
  });
  await step.run(ctx, new AbortController().signal);
  return { dir, image, log, disk: ctx.disk! };
}

test('an installer gets an empty qcow2 of machine.disk', async () => {
  const { dir, disk, log } = await run('iso');
  try {
    assert.is((await info(disk.path))['virtual-size'], 32 << 20);
    assert.equal(log.lines.filter((l) => l.startsWith('warn')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a cloud image: copy or overlay, grown; without cloud_init a warning says the image must let the user in', async () => {
  for (const [backing, cloudInit] of [[false, false], [true, true]] as const) {
    const { dir, disk, log } = await run('disk', { backing, cloudInit });
    try {
      const made = await info(disk.path);
      assert.is(made['virtual-size'], 32 << 20);
      // An overlay stands on a hard link to the image, beside the disk.
      assert.is(made['backing-filename'], backing ? `${disk.path}.base` : undefined);
      const warned = log.lines.some((l) => l.startsWith('warn: source.disk without cloud_init') && l.includes("accept kiln's login"));
      assert.is(warned, !cloudInit, log.lines.join('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test.run();
