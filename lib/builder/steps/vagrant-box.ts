import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../../errors.js';
import { writeBox } from '../../export/box.js';
import { imageInfo } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { ensureImage, progressLog, removeImage } from './export-images.js';
import { virtualBoxVmOf, writeVirtualBoxBox } from './virtualbox-appliance.js';
import { formatDuration } from '../../util/duration.js';
import { formatSize } from '../../util/size.js';

/**
 * Packs NAME.<provider>.box from the image the export step planned for it (the qcow2
 * export itself for libvirt when there is one, the OVA's VMDK for VirtualBox; in a
 * VirtualBox build, VirtualBox's own export of the VM), and
 * records its SHA-256 for `vagrant box add --checksum` and box catalogs.
 */
export const vagrantBox: Step<BuildContext> = {
  name: 'vagrant-box',
  skip: (ctx) => !ctx.template.output.vagrant,
  async run(ctx, signal) {
    const vagrant = ctx.template.output.vagrant!;
    const { name, machine } = ctx.template;
    const job = need(need(ctx.exportPlan, 'export plan').box, 'box plan');
    const extra = vagrant.vagrantfile === undefined ? undefined : await readVagrantfile(vagrant.vagrantfile);
    const vbox = job.provider === 'virtualbox' ? virtualBoxVmOf(ctx) : undefined;
    if (!vbox) await ensureImage(ctx, job.disk, signal);
    const begin = performance.now();
    const progress = progressLog(ctx, job.file);
    const box = vbox
      ? await writeVirtualBoxBox(ctx, vbox, job, { vagrantfile: extra, signal, onProgress: progress })
      : await writeBox({
          destination: join(ctx.outputDir, job.file),
          name,
          provider: job.provider,
          disk: job.disk.path,
          virtualBytes: (await imageInfo(job.disk.path, signal)).virtualSize,
          layout: vagrant.layout,
          compression: vagrant.compression,
          vagrantfile: extra,
          machine: { cpus: machine.cpus, memoryMiB: machine.memory_mib, osType: machine.virtualbox.os_type },
          mtime: Math.floor(Date.now() / 1000),
          signal,
          onProgress: progress,
        });
    const ms = performance.now() - begin;
    ctx.exports.push({ file: job.file, format: `vagrant-${job.provider}`, bytes: box.bytes, sha256: box.sha256 });
    ctx.box = { file: job.file, provider: job.provider, sha256: box.sha256 };
    const gzip = vagrant.compression > 0 ? `gzip level ${vagrant.compression}` : 'uncompressed';
    ctx.log.info(`wrote ${job.file}: ${formatSize(box.bytes)} (${gzip}) in ${formatDuration(ms)}, sha256:${box.sha256}`);
    await removeImage(ctx, job.disk);
  },
};

async function readVagrantfile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new KilnError('E_SOURCE', `cannot read output.vagrant.vagrantfile ${path}: ${(error as Error).message}`, {
      cause: error,
      hint: 'the path is relative to the template file',
    });
  }
}
