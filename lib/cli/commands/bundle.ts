// kiln bundle export TEMPLATE... -o FILE: the templates' sources, recorded guest packages
// and stage cache layers from kiln's cache in one tar with checksums; kiln bundle import
// FILE: all of it back into a cache (another machine's, across an air gap), verified first.
import { resolve } from 'node:path';
import { loadBuilds } from '../../builder/load-for-build.js';
import { collectBundle } from '../../bundle/collect.js';
import { importBundle } from '../../bundle/read-bundle.js';
import { writeBundle } from '../../bundle/write-bundle.js';
import { KilnError } from '../../errors.js';
import { defaultCacheDir } from '../../source/index.js';
import type { Template } from '../../template/types.js';
import { formatSize } from '../../util/size.js';
import { parseCommandArgs, parseUsage } from '../args.js';
import { kilnVersion } from '../version.js';

export const BUNDLE_USAGE = 'kiln bundle export TEMPLATE... -o FILE [--var NAME=VALUE]... | kiln bundle import FILE';

export async function bundleCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'export') return exportCommand(rest, io, signal);
  if (action === 'import') return importCommand(rest, io);
  throw new KilnError('E_USAGE', action ? `unknown bundle action "${action}"` : 'kiln bundle needs an action', { hint: `usage: ${BUNDLE_USAGE}` });
}

async function exportCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  const args = parseCommandArgs('bundle export', argv);
  if (!args.output) throw new KilnError('E_USAGE', 'kiln bundle export needs -o FILE, the bundle to write', { hint: `usage: ${BUNDLE_USAGE}` });
  const cacheDir = defaultCacheDir(process.env);
  const templates: Template[] = [];
  for (const file of args.files) {
    const { builds } = await loadBuilds(file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
    templates.push(...builds.map((b) => b.template));
  }
  const quiet = { info() {}, warn() {}, debug() {}, output() {} };
  const collected = await collectBundle(templates, cacheDir, quiet, signal);
  for (const note of collected.notes) io.stderr.write(`${note}\n`);
  const manifest = await writeBundle({ file: args.output, files: collected.files, templates: args.files, kilnVersion: kilnVersion() });
  const bytes = manifest.items.reduce((sum, item) => sum + item.size, 0);
  const count = (kind: string) => manifest.items.filter((item) => item.kind === kind).length;
  io.stdout.write(`wrote ${args.output}: ${manifest.items.length} files (${formatSize(bytes)}): ${count('source')} source, ${count('package')} package, ${count('layer')} stage cache\n`);
  return 0;
}

async function importCommand(argv: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { positionals } = parseUsage({ args: argv, allowPositionals: true, options: {} }, `usage: ${BUNDLE_USAGE}`);
  if (positionals.length !== 1) throw new KilnError('E_USAGE', `kiln bundle import takes one bundle, got ${positionals.length}`, { hint: `usage: ${BUNDLE_USAGE}` });
  const cacheDir = defaultCacheDir(process.env);
  const result = await importBundle(resolve(positionals[0]!), cacheDir);
  io.stdout.write(`verified ${result.manifest.items.length} files of ${positionals[0]} (made for ${result.manifest.templates.join(', ')}); loaded ${result.loaded} into ${cacheDir}, ${result.present} were there already\n`);
  return 0;
}
