import { KilnError } from '../../errors.js';
import { templateFormat } from '../../packer/detect.js';
import { formatInspect } from '../../packer/inspect/format-inspect.js';
import { readPackerTemplate } from '../../packer/kiln-builds.js';
import { formatNote } from '../format-note.js';
import type { CommonArgs } from '../args.js';

/** `kiln inspect PATH`: a Packer template's variables, builds and their resolved settings. */
export async function inspectCommand(args: CommonArgs, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const format = await templateFormat(args.file);
  if (format === 'kiln') {
    throw new KilnError('E_USAGE', `${args.file} is a kiln template: kiln inspect reads Packer templates`, { hint: `kiln validate ${args.file} checks it and names every problem` });
  }
  const template = await readPackerTemplate(args.file, format, { vars: Object.entries(args.vars), varFiles: args.varFiles, only: args.only, except: args.except });
  for (const note of template.notes) stderr.write(`${formatNote(note)}\n`);
  stdout.write(formatInspect(template, args.file));
  return 0;
}
