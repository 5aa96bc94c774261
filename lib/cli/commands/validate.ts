import { loadForBuild } from '../../builder/load-for-build.js';
import type { CommonArgs } from '../args.js';

/** Loads and checks the template; throws ValidationError listing every problem. */
export async function validateCommand(args: CommonArgs, stdout: NodeJS.WritableStream): Promise<number> {
  const template = await loadForBuild(args.file, { vars: args.vars, varFiles: args.varFiles });
  stdout.write(`${args.file}: template "${template.name}" is valid\n`);
  return 0;
}
