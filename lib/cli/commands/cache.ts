// `kiln cache ls|prune|rm`: look at and trim the stage cache (layers of earlier builds).
import type { ParseArgsConfig } from 'node:util';
import { formatLayerTable } from '../../cache/listing.js';
import { cacheLimitFromEnv, parseCacheLimit } from '../../cache/limit.js';
import { pruneStore } from '../../cache/prune.js';
import { LayerStore, withAncestors, withDescendants } from '../../cache/store.js';
import { KilnError } from '../../errors.js';
import { parseUsage } from '../args.js';
import { defaultCacheDir } from '../../source/index.js';
import { formatSize } from '../../util/size.js';

export const CACHE_USAGE = 'kiln cache ls [--template NAME] | prune [--max-size SIZE] | rm (LAYER... | --template NAME | --all)';

export async function cacheCommand(argv: string[], stdout: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  const store = new LayerStore(defaultCacheDir(env));
  switch (sub) {
    case 'ls':
    case 'list': {
      const { values } = parse(rest, { template: { type: 'string' } }, false);
      const { layers, leftovers } = await store.list();
      const template = values.template as string | undefined;
      const shown = template ? layers.filter((l) => l.record.template === template) : layers;
      stdout.write(formatLayerTable(shown, template ? [] : leftovers, Date.now()));
      const total = shown.reduce((s, l) => s + l.bytes, 0);
      stdout.write(`${shown.length} layer(s), ${formatSize(total)} in ${store.root} (limit ${formatSize(cacheLimitFromEnv(env))})\n`);
      return 0;
    }
    case 'prune': {
      const { values } = parse(rest, { 'max-size': { type: 'string' } }, false);
      const given = values['max-size'] as string | undefined;
      const limit = given !== undefined ? parseCacheLimit(given, '--max-size') : cacheLimitFromEnv(env);
      const result = await pruneStore(store, limit);
      const count = result.removed.length + result.leftovers.length;
      stdout.write(`removed ${count} layer(s), ${formatSize(result.freedBytes)}; ${formatSize(result.keptBytes)} left (limit ${formatSize(limit)})\n`);
      return 0;
    }
    case 'rm':
    case 'remove': {
      const { values, positionals } = parse(rest, { template: { type: 'string' }, all: { type: 'boolean' } }, true);
      const template = values.template as string | undefined;
      const picked = [template !== undefined, values.all === true, positionals.length > 0].filter(Boolean).length;
      if (picked !== 1) throw usage('kiln cache rm takes layer ids, or --template NAME, or --all (one of them)');
      const { layers } = await store.list();
      const roots = values.all ? layers.map((l) => l.id) : template !== undefined ? layers.filter((l) => l.record.template === template).map((l) => l.id) : positionals.map((p) => matchId(p, layers.map((l) => l.id)));
      const busy = withAncestors(layers, await store.leasedIds());
      const chosen = [...withDescendants(layers, roots)];
      const removed = layers.filter((l) => chosen.includes(l.id) && !busy.has(l.id));
      await store.remove(removed.map((l) => l.id));
      stdout.write(`removed ${removed.length} layer(s), ${formatSize(removed.reduce((s, l) => s + l.bytes, 0))}\n`);
      const skipped = chosen.length - removed.length;
      if (skipped > 0) stdout.write(`kept ${skipped} layer(s) that a running build is using\n`);
      return 0;
    }
    default:
      throw usage(sub === undefined ? 'kiln cache needs a subcommand' : `unknown cache subcommand "${sub}"`);
  }
}

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: boolean) {
  const parsed = parseUsage({ args: argv, options, allowPositionals: positionals }, `usage: ${CACHE_USAGE}`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** The one layer id that starts with `prefix`. */
function matchId(prefix: string, ids: string[]): string {
  const matches = ids.filter((id) => id.startsWith(prefix));
  if (matches.length === 1) return matches[0]!;
  throw new KilnError('E_USAGE', matches.length === 0 ? `no cached layer ${prefix}` : `${prefix} matches ${matches.length} layers: give more of the id`, {
    hint: 'kiln cache ls lists the layers and their ids',
  });
}

const usage = (message: string) => new KilnError('E_USAGE', message, { hint: `usage: ${CACHE_USAGE}` });
