import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { imageDataBytes } from '../../export/image-data.js';
import { writeGceArchive } from '../../export/gce.js';
import { writeOva } from '../../export/ova.js';
import { planExports } from '../../export/plan.js';
import { imageInfo } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import type { Template } from '../../template/types.js';
import { formatDuration } from '../../util/duration.js';
import { hashFile } from '../../util/hash-file.js';
import { formatSize } from '../../util/size.js';
import { exportApplianceOva } from '../appliance-exports.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { ensureImage, progressLog, removeImage } from '../image-jobs.js';

export interface ExportOptions {
  name: string;
  output: Template['output'];
  /** For the OVF descriptor kiln writes itself. */
  machine: Template['machine'];
}

/**
 * Converts the build disk into each of output.formats under output/NAME/, and packs the
 * OVA (exported by the hypervisor itself when the VM has the `appliance` capability) and
 * the GCE archive.
 * Every image is converted once (planExports) and written under a .partial name until
 * complete. Images are hashed while the next one converts: hashing a large raw image
 * costs more than converting it.
 */
export function exportImages(options: ExportOptions): Step<BuildContext> {
  const { name, output, machine } = options;
  return {
    name: 'export',
    async run(ctx, signal) {
      const disk = need(ctx.disk, 'disk');
      const plan = planExports(
        { name, formats: output.formats, compress: output.compress, vagrant: output.vagrant },
        { output: ctx.outputDir, work: need(ctx.workDir, 'workDir') },
      );
      ctx.images = { plan, converted: new Set() };
      ctx.log.info(`disk data to export: ${formatSize(await imageDataBytes(disk.path, signal))}`);
      const hashing: Promise<void>[] = [];
      for (const job of plan.exports) {
        if (job.kind === 'image') {
          await ensureImage(ctx, job.image, signal);
          const file = job.image.output!.file;
          const entry = { file, format: job.image.output!.format, bytes: (await stat(job.image.path)).size, sha256: '' };
          ctx.exports.push(entry);
          ctx.log.info(`wrote ${file}: ${formatSize(entry.bytes)}`);
          const hashed = hashFile(job.image.path, 'sha256', signal).then((hex) => void (entry.sha256 = hex));
          hashed.catch(() => {}); // observed by Promise.all below; a later failed conversion must not leave it unhandled
          hashing.push(hashed);
          continue;
        }
        const begin = performance.now();
        if (job.kind === 'gce') {
          await ensureImage(ctx, job.disk, signal);
          const gce = await writeGceArchive({
            destination: join(ctx.outputDir, job.file),
            raw: job.disk.path,
            mtime: Math.floor(Date.now() / 1000),
            signal,
            onProgress: progressLog(ctx.log, job.file),
          });
          ctx.exports.push({ file: job.file, format: 'gce', bytes: gce.bytes, sha256: gce.sha256 });
          ctx.log.info(`wrote ${job.file}: ${formatSize(gce.bytes)} (disk.raw of ${formatSize(gce.diskBytes)}) in ${formatDuration(performance.now() - begin)}`);
          await removeImage(ctx, job.disk);
          continue;
        }
        const appliance = ctx.vm?.appliance;
        if (appliance) {
          const ova = await exportApplianceOva(appliance, { outputDir: ctx.outputDir, file: job.file, name }, signal);
          ctx.exports.push(ova);
          ctx.log.info(`wrote ${job.file}: ${formatSize(ova.bytes)} (${ctx.vm!.label}'s own export) in ${formatDuration(performance.now() - begin)}`);
          continue;
        }
        await ensureImage(ctx, job.disk, signal);
        const ova = await writeOva({
          destination: join(ctx.outputDir, job.file),
          name,
          disk: job.disk.path,
          capacityBytes: (await imageInfo(disk.path, signal)).virtualSize,
          machine: { cpus: machine.cpus, memoryMiB: machine.memory_mib, osType: machine.virtualbox.os_type },
          mtime: Math.floor(Date.now() / 1000),
          signal,
          onProgress: progressLog(ctx.log, job.file),
        });
        ctx.exports.push({ file: job.file, format: 'ova', bytes: ova.bytes, sha256: ova.sha256 });
        ctx.log.info(`wrote ${job.file}: ${formatSize(ova.bytes)} (${ova.members.join(', ')}) in ${formatDuration(performance.now() - begin)}`);
        // The streamOptimized VMDK stays only if the VirtualBox box still needs it.
        if (plan.box?.disk !== job.disk) await removeImage(ctx, job.disk);
      }
      await Promise.all(hashing);
    },
  };
}
