// kiln init: start a project from one of the boot-configs that ship with kiln.
//   kiln init --list
//   kiln init DISTRO [DIR] [--force]
import { resolve } from 'node:path';
import { KilnError } from '../../errors.js';
import { parseUsage } from '../args.js';
import { assembleBootConfig } from '../../init/assemble.js';
import { listBootConfigs, type BootConfig } from '../../init/catalog.js';
import { copyTree } from '../../init/copy-tree.js';
import { didYouMean } from '../../util/did-you-mean.js';

export async function initCommand(argv: string[], stdout: NodeJS.WritableStream, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv);
  const configs = await listBootConfigs();
  if (values.list) {
    if (positionals.length > 0) throw new KilnError('E_USAGE', 'kiln init --list takes no other arguments', { hint: 'kiln init --list' });
    stdout.write(listing(configs));
    return 0;
  }
  const [name, dirArg] = positionals;
  if (!name) throw new KilnError('E_USAGE', 'kiln init needs a boot-config name', { hint: 'kiln init --list shows them; then kiln init NAME [DIR]' });
  if (positionals.length > 2) throw new KilnError('E_USAGE', `kiln init takes a name and a folder, got ${positionals.length} arguments`, { hint: 'kiln init debian-12 my-image' });
  const config = configs.find((c) => c.name === name);
  if (!config) {
    throw new KilnError('E_USAGE', `there is no boot-config "${name}"${didYouMean(name, configs.map((c) => c.name))}`, {
      hint: `kiln init --list shows them: ${configs.map((c) => c.name).join(', ')}`,
    });
  }
  const dir = dirArg ?? name;
  const tree = await assembleBootConfig(config);
  const { files, merged } = await copyTree(tree, resolve(dir), { force: values.force ?? false, ...(signal ? { signal } : {}) });
  stdout.write(`${merged ? 'wrote' : 'created'} ${dir}/ from the ${name} boot-config (${files.length} files): ${config.description}\n`);
  for (const template of config.templates) stdout.write(`  ${dir}/${template}\n`);
  const cd = resolve(dir) === process.cwd() ? '' : `cd ${dir} && `;
  stdout.write(`next: ${cd}kiln validate ${config.templates[0]} && kiln build ${config.templates[0]}\n`);
  return 0;
}

const parse = (argv: string[]) =>
  parseUsage(
    { args: argv, allowPositionals: true, options: { list: { type: 'boolean', short: 'l' }, force: { type: 'boolean' } } },
    'kiln init --list, or kiln init NAME [DIR] [--force]',
  );

function listing(configs: BootConfig[]): string {
  const width = Math.max(...configs.map((c) => c.name.length), 4);
  const lines = configs.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`);
  return `Boot-configs (kiln init NAME [DIR]):\n${lines.join('\n')}\n`;
}
