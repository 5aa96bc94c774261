import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KilnError } from '../../errors.js';
import { templateFormat } from '../../packer/detect.js';
import { kilnYaml } from '../../packer/import/kiln-yaml.js';
import { packerBuilds } from '../../packer/kiln-builds.js';
import { writeFileAtomic } from '../../util/write-atomic.js';
import type { CommonArgs } from '../args.js';

export interface ImportArgs extends CommonArgs {
  /** --out DIR: where the kiln.yaml files go (default the working directory). */
  out: string;
  force: boolean;
}

/**
 * `kiln import PATH`: each build of a Packer template as a kiln.yaml (NAME.kiln.yaml when
 * there are several), checked by the same translation `kiln build PATH` uses, so what is
 * written builds the same image. Existing files are replaced only with --force.
 */
export async function importCommand(args: ImportArgs, stdout: NodeJS.WritableStream): Promise<number> {
  const format = await templateFormat(args.file);
  if (format === 'kiln') throw new KilnError('E_USAGE', `${args.file} is a kiln template already`, { hint: 'kiln import reads Packer templates (.pkr.hcl, a folder of them, or a legacy .json)' });
  const { builds, notes } = await packerBuilds(args.file, format, { vars: Object.entries(args.vars), varFiles: args.varFiles, only: args.only, except: args.except });
  const outDir = resolve(args.out);
  const targets = builds.map((b) => join(outDir, builds.length === 1 ? 'kiln.yaml' : `${b.name}.kiln.yaml`));
  if (!args.force) {
    const existing = (await Promise.all(targets.map(async (t) => ((await stat(t).catch(() => undefined)) ? t : undefined)))).filter(Boolean);
    if (existing.length > 0) throw new KilnError('E_OUTPUT_EXISTS', `${existing.join(', ')} exist${existing.length === 1 ? 's' : ''} already`, { hint: 'choose another --out folder, or add --force to replace them' });
  }
  await mkdir(outDir, { recursive: true });
  for (const [i, build] of builds.entries()) {
    // Notes name files as the user types them; a build's files are absolute.
    const own = notes.filter((n) => build.packer.files.includes(resolve(n.pos.file)) || n.pos.file === '-var');
    const text = kilnYaml(build.translation.document, build.packer, { template: args.file, fromDir: process.cwd(), toDir: outDir, notes: own });
    await writeFileAtomic(targets[i]!, text);
    stdout.write(`${build.name}: wrote ${targets[i]}\n`);
  }
  return 0;
}
