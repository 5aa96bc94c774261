import { loadBuilds } from '../../builder/load-for-build.js';
import { formatWarning } from '../../template/format-issues.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import type { CommonArgs } from '../args.js';
import { formatNote } from '../format-note.js';

/** Loads and checks the template; throws ValidationError listing every problem. Warnings and notes go to stderr and do not fail. */
export async function validateCommand(args: CommonArgs, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { builds, notes } = await loadBuilds(args.file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
  for (const note of notes) stderr.write(`${formatNote(note)}\n`);
  for (const { template } of builds) {
    for (const warning of template.warnings ?? []) stderr.write(`${formatWarning(warning, args.file)}\n`);
    // The proxy a build would use, checked the same way (--proxy, proxy.upstream, HTTP(S)_PROXY).
    resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env });
  }
  const only = builds[0];
  if (builds.length === 1 && only && only.name === undefined) stdout.write(`${args.file}: template "${only.template.name}" is valid\n`);
  else stdout.write(`${args.file}: ${builds.length} build${builds.length === 1 ? '' : 's'} valid: ${builds.map((b) => b.name).join(', ')}\n`);
  return 0;
}
