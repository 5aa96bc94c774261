import { loadForBuild } from '../../builder/load-for-build.js';
import { formatWarning } from '../../template/format-issues.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import type { CommonArgs } from '../args.js';

/** Loads and checks the template; throws ValidationError listing every problem. Warnings go to stderr and do not fail. */
export async function validateCommand(args: CommonArgs, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const template = await loadForBuild(args.file, { vars: args.vars, varFiles: args.varFiles });
  for (const warning of template.warnings ?? []) stderr.write(`${formatWarning(warning, args.file)}\n`);
  // The proxy a build would use, checked the same way (--proxy, proxy.upstream, HTTP(S)_PROXY).
  resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env });
  stdout.write(`${args.file}: template "${template.name}" is valid\n`);
  return 0;
}
