import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../../errors.js';
import { convertImage } from '../../export/convert.js';
import type { Step } from '../../pipeline/step.js';
import { sha256File } from '../../util/sha256-file.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/** Converts the work disk into each requested format under output/NAME/. */
export const exportImages: Step<BuildContext> = {
  name: 'export',
  async run(ctx, signal) {
    const disk = need(ctx.disk, 'disk');
    const { formats, compress } = ctx.template.output;
    const before = (await stat(disk.path)).size;
    // Each file is hashed while the next conversion runs: hashing a large raw image
    // costs more than converting it.
    const hashing: Promise<void>[] = [];
    for (const format of formats) {
      if (format === 'ova') {
        throw new KilnError('E_EXPORT', 'output format ova is not available in this version', {
          hint: 'use qcow2, raw, vmdk, vdi or vhdx',
        });
      }
      const file = `${ctx.template.name}.${format}`;
      const destination = join(ctx.outputDir, file);
      let lastLogged = -10;
      await convertImage({
        source: disk.path,
        sourceFormat: disk.format,
        destination,
        format,
        compress: compress && format === 'qcow2',
        signal,
        onProgress: (percent) => {
          if (percent - lastLogged < 10) return;
          lastLogged = percent;
          ctx.log.debug(`${file}: ${percent.toFixed(0)}%`);
        },
      });
      const bytes = (await stat(destination)).size;
      const entry = { file, format, bytes, sha256: '' };
      ctx.exports.push(entry);
      ctx.log.info(`wrote ${file}: ${mib(bytes)} (work disk ${mib(before)})`);
      const hashed = sha256File(destination, signal).then((hex) => void (entry.sha256 = hex));
      hashed.catch(() => {}); // observed by Promise.all below; a later failed conversion must not leave it unhandled
      hashing.push(hashed);
    }
    await Promise.all(hashing);
  },
};

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
