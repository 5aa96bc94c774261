import { join } from 'node:path';
import { createDisk as createDiskImage } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import { prepareDiskImage } from '../../source/disk-image.js';
import type { DiskSource, SshConfig } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

export interface CreateDiskOptions {
  name: string;
  sizeBytes: number;
  /** A cloud image to start from (source.disk); none for an installer's empty disk. */
  image?: DiskSource;
  /** Whether cloud_init configures the image (else it must already accept the login). */
  seeded: boolean;
  ssh: SshConfig | null;
}

/**
 * The disk the guest runs on: empty for an installer, or made from the cloud image
 * (a converted copy, or an overlay with `backing: true`), grown to machine.disk. It lives
 * in the work dir until export; with the stage cache it lives in the cache instead, on
 * top of the resumed layer if there is one.
 */
export function createDisk(options: CreateDiskOptions): Step<BuildContext> {
  return {
    name: 'create-disk',
    async run(ctx, signal) {
      const { image, ssh } = options;
      const origin = image ? { path: need(ctx.source, 'source').path, backing: image.backing } : undefined;
      if (ctx.cache) {
        ctx.disk = await ctx.cache.prepareDisk(signal, origin);
      } else {
        const path = join(need(ctx.workDir, 'workDir'), `${options.name}.qcow2`);
        if (origin) await prepareDiskImage({ source: origin.path, target: path, backing: origin.backing, sizeBytes: options.sizeBytes, signal });
        else await createDiskImage(path, options.sizeBytes, 'qcow2');
        ctx.disk = { path, format: 'qcow2' };
      }
      if (origin && !ctx.cache?.resumed) ctx.log.info(`disk: ${origin.backing ? 'overlay on' : 'copy of'} ${origin.path}`);
      if (origin && ssh && !options.seeded) {
        // Not an error: an image may come with its login set up (a Vagrant box's disk, say).
        ctx.log.warn(`source.disk without cloud_init: the image gets no seed, so it must already accept ${ssh.username}'s login; add cloud_init: {} to have kiln create the user`);
      }
    },
  };
}
