import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stageMediaFiles } from '../../media/stage-files.js';
import type { MediaSpec } from '../../media/types.js';
import { writeCdImage, writeFloppyImage } from '../../media/write-media.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import { formatSize } from '../../util/size.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';

/**
 * Writes the template's cd (ISO 9660 with its label) and floppy (FAT12) into the work
 * dir for start-vm to attach. After http-server: content may name {{ .HTTPPort }}.
 */
export function media(options: { cd?: MediaSpec; floppy?: MediaSpec }): Step<BuildContext> {
  return {
    name: 'media',
    async run(ctx, signal) {
      const work = need(ctx.workDir, 'workDir');
      const render = (text: string) => renderPlaceholders(text, placeholderValues(ctx));
      ctx.media = {};
      if (options.cd) {
        const staged = join(work, 'media', 'cd');
        await stageMediaFiles(options.cd, staged, render, 'cd', signal);
        const image = join(work, 'cd.iso');
        // Packer leaves an unlabelled CD's volume id to the tool; a name is kinder to `blkid`.
        const label = options.cd.label ?? 'KILN';
        await writeCdImage(staged, image, label, signal);
        ctx.media.cd = image;
        ctx.log.info(`cd: ${image} labelled ${label} (${formatSize((await stat(image)).size)})`);
      }
      if (options.floppy) {
        const staged = join(work, 'media', 'floppy');
        await stageMediaFiles(options.floppy, staged, render, 'floppy', signal);
        const image = join(work, 'floppy.img');
        await writeFloppyImage(staged, image, options.floppy.label, signal);
        ctx.media.floppy = image;
        ctx.log.info(`floppy: ${image}${options.floppy.label ? ` labelled ${options.floppy.label}` : ''}`);
      }
    },
  };
}
