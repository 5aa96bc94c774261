import { rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { convertImage } from '../../export/convert.js';
import { imageDataBytes } from '../../export/image-data.js';
import { writeOva } from '../../export/ova.js';
import { planExports, type ImageJob } from '../../export/plan.js';
import { imageInfo } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import { hashFile } from '../../util/hash-file.js';
import { exportVirtualBoxOva, virtualBoxVmOf } from './virtualbox-appliance.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { formatDuration } from '../../util/duration.js';
import { formatSize } from '../../util/size.js';

/**
 * Converts the work disk into each of output.formats under output/NAME/, and packs
 * the OVA (in a VirtualBox build, VirtualBox exports it). Every image is converted once (planExports) and written under a .partial
 * name until complete. Images are hashed while the next one converts: hashing a large
 * raw image costs more than converting it.
 */
export const exportImages: Step<BuildContext> = {
  name: 'export',
  async run(ctx, signal) {
    const disk = need(ctx.disk, 'disk');
    const { name, output, machine } = ctx.template;
    const plan = planExports(
      { name, formats: output.formats, compress: output.compress, vagrant: output.vagrant },
      { output: ctx.outputDir, work: need(ctx.workDir, 'workDir') },
    );
    ctx.exportPlan = plan;
    ctx.log.info(`disk data to export: ${formatSize(await imageDataBytes(disk.path, signal))}`);
    const hashing: Promise<void>[] = [];
    for (const job of plan.exports) {
      if (job.kind === 'image') {
        await ensureImage(ctx, job.image, signal);
        const file = job.image.output!.file;
        const entry = { file, format: job.image.format, bytes: (await stat(job.image.path)).size, sha256: '' };
        ctx.exports.push(entry);
        ctx.log.info(`wrote ${file}: ${formatSize(entry.bytes)}`);
        const hashed = hashFile(job.image.path, 'sha256', signal).then((hex) => void (entry.sha256 = hex));
        hashed.catch(() => {}); // observed by Promise.all below; a later failed conversion must not leave it unhandled
        hashing.push(hashed);
        continue;
      }
      const begin = performance.now();
      const vbox = virtualBoxVmOf(ctx);
      if (vbox) {
        const ova = await exportVirtualBoxOva(ctx, vbox, job.file, signal);
        ctx.exports.push(ova);
        ctx.log.info(`wrote ${job.file}: ${formatSize(ova.bytes)} (VBoxManage export) in ${formatDuration(performance.now() - begin)}`);
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
        onProgress: progressLog(ctx, job.file),
      });
      ctx.exports.push({ file: job.file, format: 'ova', bytes: ova.bytes, sha256: ova.sha256 });
      ctx.log.info(`wrote ${job.file}: ${formatSize(ova.bytes)} (${ova.members.join(', ')}) in ${formatDuration(performance.now() - begin)}`);
      // The streamOptimized VMDK stays only if the VirtualBox box still needs it.
      if (plan.box?.disk !== job.disk) await removeImage(ctx, job.disk);
    }
    await Promise.all(hashing);
  },
};

/** Converts the work disk into `job` unless an earlier export already did. */
export async function ensureImage(ctx: BuildContext, job: ImageJob, signal: AbortSignal): Promise<void> {
  const converted = (ctx.converted ??= new Set());
  if (converted.has(job.path)) return;
  const disk = need(ctx.disk, 'disk');
  const label = job.output?.file ?? basename(job.path);
  const begin = performance.now();
  await convertImage({
    source: disk.path,
    sourceFormat: disk.format,
    destination: job.path,
    format: job.format,
    vmdkSubformat: job.vmdkSubformat,
    compress: job.compress,
    signal,
    onProgress: progressLog(ctx, label),
  });
  converted.add(job.path);
  ctx.log.debug(`converted ${label} (${job.format}${job.vmdkSubformat ? ` ${job.vmdkSubformat}` : ''}) in ${formatDuration(performance.now() - begin)}`);
}

/** Deletes a package-only image from the work dir once nothing needs it (it can be large). */
export async function removeImage(ctx: BuildContext, job: ImageJob): Promise<void> {
  if (job.output) return;
  await rm(job.path, { force: true });
  ctx.converted?.delete(job.path);
}

/** Progress of a long conversion or packing: a line at most every 5 s (all of them in build.log). */
export function progressLog(ctx: BuildContext, label: string): (percent: number) => void {
  let lastShown = performance.now();
  let lastLogged = -10;
  return (percent) => {
    if (percent - lastLogged >= 10) {
      lastLogged = percent;
      ctx.log.debug(`${label}: ${percent.toFixed(0)}%`);
    }
    if (performance.now() - lastShown >= 5000 && percent < 100) {
      lastShown = performance.now();
      ctx.log.info(`${label}: ${percent.toFixed(0)}%`);
    }
  };
}

