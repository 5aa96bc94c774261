// A provision or post_process item whose kind a plugin gave -> the resolved step: the
// options as written (validated by the kind's own schema) and what the cache keys.
import { KilnError } from '../errors.js';
import type { KindStage } from '../plugins/kind.js';
import type { LoadedKind } from '../plugins/load-plugins.js';
import { resolvePath } from './paths.js';
import type { PluginStep } from './types.js';

/** The item as a plugin step, or undefined when its kind is kiln's own. */
export function pluginStep(dir: string, item: object, stage: KindStage, plugins: readonly LoadedKind[]): PluginStep | undefined {
  const [name] = Object.keys(item);
  const loaded = plugins.find((k) => k.kind.stage === stage && k.kind.name === name);
  if (!loaded || name === undefined) return undefined;
  const options = ((item as Record<string, unknown>)[name] ?? {}) as Record<string, unknown>;
  const { kind } = loaded;
  return { type: 'plugin', kind: kind.name, module: loaded.module, options, cache: kind.cache === false ? false : cacheInputs(loaded, options, dir) };
}

function cacheInputs(loaded: LoadedKind, options: Record<string, unknown>, dir: string): { files: string[]; values: unknown } {
  // The plugin's own code is always an input: a new version of it may write something else.
  const files = [loaded.module];
  const declare = loaded.kind.cache;
  if (typeof declare !== 'function') return { files, values: null };
  let declared;
  try {
    declared = declare(options, { dir });
  } catch (error) {
    throw new KilnError('E_TEMPLATE', `plugin ${JSON.stringify(loaded.plugin)}: ${loaded.kind.name}'s cache function failed: ${(error as Error).message}`, {
      cause: error,
      hint: 'the plugin has a bug: report it to its author, or remove the plugin',
    });
  }
  return { files: [...files, ...(declared?.files ?? []).map((f) => resolvePath(dir, f))], values: declared?.values ?? null };
}
