// The export plan's image conversions, shared by the export and vagrant-box steps: each
// image is converted from the build disk once, and one that only a package needed is
// deleted once it is packed.
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { convertImage } from '../export/convert.js';
import type { ImageJob } from '../export/plan.js';
import type { Log } from '../log/log.js';
import { formatDuration } from '../util/duration.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';

/** Converts the build disk into `job` unless an earlier export already did. */
export async function ensureImage(ctx: BuildContext, job: ImageJob, signal: AbortSignal): Promise<void> {
  const { converted } = need(ctx.images, 'export plan');
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
    onProgress: progressLog(ctx.log, label),
  });
  converted.add(job.path);
  ctx.log.debug(`converted ${label} (${job.format}${job.vmdkSubformat ? ` ${job.vmdkSubformat}` : ''}) in ${formatDuration(performance.now() - begin)}`);
}

/** Deletes a package-only image from the work dir once nothing needs it (it can be large). */
export async function removeImage(ctx: BuildContext, job: ImageJob): Promise<void> {
  if (job.output) return;
  await rm(job.path, { force: true });
  ctx.images?.converted.delete(job.path);
}

/** Progress of a long conversion or packing: a line at most every 5 s (all of them in build.log). */
export function progressLog(log: Log, label: string): (percent: number) => void {
  let lastShown = performance.now();
  let lastLogged = -10;
  return (percent) => {
    if (percent - lastLogged >= 10) {
      lastLogged = percent;
      log.debug(`${label}: ${percent.toFixed(0)}%`);
    }
    if (performance.now() - lastShown >= 5000 && percent < 100) {
      lastShown = performance.now();
      log.info(`${label}: ${percent.toFixed(0)}%`);
    }
  };
}
