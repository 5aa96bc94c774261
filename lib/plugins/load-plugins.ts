// A template's `plugins:` list, loaded when the template is: each entry an npm package
// name (resolved from the template's folder, as Node resolves an import there) or a
// path relative to the template. Every problem is a finding at the entry's position,
// so a template with a broken plugin reports it with its other problems.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Segment } from '../template/finding.js';
import { postProcessItem } from '../template/schema.js';
import { ajvClass } from '../template/schema-validator.js';
import { provisionItem } from '../template/schema-provision.js';
import type { KindStage, PluginKind } from './kind.js';

/** A plugin kind and where it came from. */
export interface LoadedKind {
  kind: PluginKind;
  /** Absolute path of the module that exports it: run imports it again from there, and the cache keys its bytes. */
  module: string;
  /** The plugins entry as written. */
  plugin: string;
}

export interface LoadedPlugins {
  kinds: LoadedKind[];
  findings: Finding[];
}

/** kiln's own kind names per stage, as its schema lists them: a plugin cannot take them. */
export const BUILTIN_KINDS: Record<KindStage, readonly string[]> = {
  provision: Object.keys(provisionItem.properties ?? {}),
  'post-process': Object.keys(postProcessItem.properties ?? {}),
};

const KIND_NAME = /^[a-z][a-z0-9-]*$/;

export async function loadPlugins(list: unknown, dir: string): Promise<LoadedPlugins> {
  const kinds: LoadedKind[] = [];
  const findings: Finding[] = [];
  if (!Array.isArray(list)) return { kinds, findings }; // the schema says what plugins must be
  for (const [i, spec] of list.entries()) {
    if (typeof spec !== 'string' || !spec.trim()) continue;
    const path: Segment[] = ['plugins', i];
    const problem = (message: string) => findings.push({ path, message: `plugin ${JSON.stringify(spec)}: ${message}` });
    const module = resolvePlugin(spec, dir);
    if (!module) {
      problem(isPathSpec(spec)
        ? `${resolve(dir, spec)} does not exist: give a path relative to the template, like ./plugins/motd.mjs`
        : `not found from ${dir}: install it there (npm install ${spec}), or give a path like ./plugins/${spec}.mjs`);
      continue;
    }
    let exported: unknown;
    try {
      exported = await import(pathToFileURL(module).href);
    } catch (error) {
      problem(`importing ${module} failed: ${(error as Error).message}`);
      continue;
    }
    const declared = kindsOf(exported);
    if (!declared) {
      problem('exports no kinds: export `kinds`, a list of { name, stage, schema, run } (docs/plugins.md)');
      continue;
    }
    for (const [j, kind] of declared.entries()) {
      const wrong = kindProblem(kind);
      if (wrong) {
        problem(`kinds[${j}] ${wrong}`);
        continue;
      }
      const loaded = kind as PluginKind;
      const what = loaded.stage === 'provision' ? 'provisioner' : 'post-processor';
      const other = kinds.find((k) => k.kind.stage === loaded.stage && k.kind.name === loaded.name);
      const clash = BUILTIN_KINDS[loaded.stage].includes(loaded.name) ? `kiln's own ${what}` : other && `the one plugin ${JSON.stringify(other.plugin)} gives`;
      if (clash) {
        problem(`its ${what} "${loaded.name}" clashes with ${clash}: rename it in the plugin`);
        continue;
      }
      kinds.push({ kind: loaded, module, plugin: spec });
    }
  }
  return { kinds, findings };
}

const isPathSpec = (spec: string) => spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);

/** The module file, or undefined when nothing is there. */
function resolvePlugin(spec: string, dir: string): string | undefined {
  if (isPathSpec(spec)) {
    const path = resolve(dir, spec);
    return existsSync(path) ? path : undefined;
  }
  try {
    // Resolved the way an import in the template's folder would be (node_modules upwards).
    return createRequire(join(dir, 'kiln-template.js')).resolve(spec);
  } catch {
    return undefined;
  }
}

function kindsOf(exported: unknown): unknown[] | undefined {
  const record = exported as { kinds?: unknown; default?: { kinds?: unknown } };
  const kinds = record.kinds ?? record.default?.kinds;
  return Array.isArray(kinds) && kinds.length > 0 ? kinds : undefined;
}

/** What is wrong with an exported kind, worded for its author; undefined when it is whole. */
function kindProblem(kind: unknown): string | undefined {
  if (typeof kind !== 'object' || kind === null) return 'is not an object: give { name, stage, schema, run }';
  const k = kind as Record<string, unknown>;
  if (typeof k.name !== 'string' || !KIND_NAME.test(k.name)) return `has name ${JSON.stringify(k.name)}: give a lowercase name like write-motd`;
  if (k.stage !== 'provision' && k.stage !== 'post-process') return `"${k.name}" has stage ${JSON.stringify(k.stage)}: give provision or post-process`;
  if (typeof k.run !== 'function') return `"${k.name}" has no run function`;
  if (k.cache !== undefined && k.cache !== false && typeof k.cache !== 'function') return `"${k.name}" has cache ${JSON.stringify(k.cache)}: give false, a function, or leave it out`;
  if (typeof k.schema !== 'object' || k.schema === null || (k.schema as { type?: unknown }).type !== 'object') {
    return `"${k.name}" has no options schema: give schema, a JSON schema of type object`;
  }
  try {
    const AjvClass = ajvClass();
    new AjvClass({ strict: true, allowUnionTypes: true, logger: false }).compile(k.schema);
  } catch (error) {
    return `"${k.name}" has an invalid options schema: ${(error as Error).message}`;
  }
  return undefined;
}
