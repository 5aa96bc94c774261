import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../../errors.js';
import { writeBox } from '../../export/box.js';
import type { ImageJob } from '../../export/plan.js';
import { imageInfo } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import type { Template, VagrantOutput } from '../../template/types.js';
import { formatDuration } from '../../util/duration.js';
import { formatSize } from '../../util/size.js';
import { writeApplianceVagrantBox } from '../appliance-exports.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';
import { placeBoxCopy } from '../box-copy.js';
import { resolvePath } from '../../template/paths.js';
import { renderPlaceholders } from '../../template/render.js';
import { ensureImage, progressLog, removeImage } from '../image-jobs.js';

export interface VagrantBoxOptions {
  name: string;
  vagrant: VagrantOutput;
  /** For the box's metadata and Vagrantfile. */
  machine: Template['machine'];
  /** output.vagrant.output is relative to it. */
  templateDir: string;
}

/**
 * Packs NAME.<provider>.box from the image the export step planned for it (the qcow2
 * export itself for libvirt when there is one, the OVA's VMDK for VirtualBox; when the
 * VM exports appliances itself, its own export of the VM), and records its SHA-256 for
 * `vagrant box add --checksum` and box catalogs.
 */
export function vagrantBox(options: VagrantBoxOptions): Step<BuildContext> {
  const { name, vagrant, machine } = options;
  return {
    name: 'vagrant-box',
    async run(ctx, signal) {
      const job = need(need(ctx.images, 'export plan').plan.box, 'box plan');
      const compression = boxCompression(vagrant.compression, job.disk);
      const extra = vagrant.vagrantfile === undefined ? undefined : await readVagrantfile(vagrant.vagrantfile);
      const appliance = job.provider === 'virtualbox' ? ctx.vm?.appliance : undefined;
      if (!appliance) await ensureImage(ctx, job.disk, signal);
      const begin = performance.now();
      const progress = progressLog(ctx.log, job.file);
      const box = appliance
        ? await writeApplianceVagrantBox(
            appliance,
            { job, outputDir: ctx.outputDir, workDir: need(ctx.workDir, 'workDir'), name, compression, vagrantfile: extra },
            signal,
            progress,
          )
        : await writeBox({
            destination: join(ctx.outputDir, job.file),
            name,
            provider: job.provider,
            disk: job.disk.path,
            virtualBytes: (await imageInfo(job.disk.path, signal)).virtualSize,
            layout: vagrant.layout,
            compression,
            vagrantfile: extra,
            machine: { cpus: machine.cpus, memoryMiB: machine.memory_mib, osType: machine.virtualbox.os_type },
            mtime: Math.floor(Date.now() / 1000),
            signal,
            onProgress: progress,
          });
      const ms = performance.now() - begin;
      ctx.exports.push({ file: job.file, format: `vagrant-${job.provider}`, bytes: box.bytes, sha256: box.sha256 });
      ctx.box = { file: job.file, provider: job.provider, sha256: box.sha256 };
      const gzip = compression > 0 ? `gzip level ${compression}` : 'stored: the disk inside is compressed already';
      ctx.log.info(`wrote ${job.file}: ${formatSize(box.bytes)} (${gzip}) in ${formatDuration(ms)}, sha256:${box.sha256}`);
      await removeImage(ctx, job.disk);
      if (vagrant.output !== undefined) {
        const path = resolvePath(options.templateDir, renderPlaceholders(vagrant.output, { ...placeholderValues(ctx), Provider: job.provider, BuildName: name }));
        await placeBoxCopy(join(ctx.outputDir, job.file), path, ctx.options.force);
        ctx.log.info(`placed the box at ${path} (output.vagrant.output)`);
      }
    },
  };
}

/**
 * The box's gzip level: the template's, else none for a disk that is compressed already
 * (gzip gains nothing on zstd or deflate clusters and costs seconds), else 6.
 */
export function boxCompression(level: number | undefined, disk: Pick<ImageJob, 'format' | 'compress' | 'vmdkSubformat'>): number {
  if (level !== undefined) return level;
  const compressed = (disk.format === 'qcow2' && disk.compress) || disk.vmdkSubformat === 'streamOptimized';
  return compressed ? 0 : 6;
}

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
