// A provisioner or post-processor block as one source's build sees it: skipped when
// its only/except leave that source out, its `override` for that source merged over its
// settings, and its meta-arguments (only, except, override, name) taken out.
import { didYouMean } from '../../../util/did-you-mean.js';
import type { PackerNote, PackerValue, PluginConfig } from '../../model.js';
import type { HclBlock, HclValue } from '../hcl.js';
import { spanPos, type Problems } from '../problems.js';
import { evaluateIn, type Scope } from '../scope.js';
import { evaluateSettings, isStringList } from '../settings.js';
import { blockTitle } from '../top-level.js';
import { sourceKey } from './source-uses.js';

const META = ['only', 'except', 'override', 'name'];

/** The source being built, and every name only/except/override may use in this build block. */
export interface PluginTarget {
  /** "type.name", with the build's rename applied: what only/except match. */
  sourceName: string;
  /** The bare (maybe renamed) name: what override keys match, as in Packer; "type.name" is accepted too. */
  name: string;
  /** Every "type.name" a filter may name: the template's sources and this build's renamed uses. */
  knownNames: readonly string[];
}

export function pluginFor(block: HclBlock, target: PluginTarget, scope: Scope, problems: Problems, notes: PackerNote[]): PluginConfig | undefined {
  const title = blockTitle(block);
  const meta = readMeta(block, scope, problems);
  if (meta.only !== undefined && meta.except !== undefined) {
    problems.add(block.span, `${title}: only and except cannot both be set`);
    return undefined;
  }
  for (const [key, list] of [['only', meta.only], ['except', meta.except]] as const) {
    for (const entry of list ?? []) checkName(entry, key, title, block, target, notes);
  }
  const names = (list: string[]): string[] => list.map(sourceKey);
  if (meta.only !== undefined && !names(meta.only).includes(target.sourceName)) return undefined;
  if (meta.except !== undefined && names(meta.except).includes(target.sourceName)) return undefined;

  const settings = evaluateSettings(block.body, scope, problems, title, META);
  const override = meta.override === undefined ? undefined : overrideFor(meta.override.value, target, title, block, problems, notes);
  if (override !== undefined && meta.override !== undefined) {
    for (const [key, value] of Object.entries(override)) settings[key] = { value, pos: meta.override.pos };
  }
  const config: PluginConfig = { type: block.labels[0] ?? '', pos: spanPos(block.span), settings };
  if (meta.name !== undefined) config.name = meta.name;
  return config;
}

interface Meta {
  only?: string[];
  except?: string[];
  override?: { value: HclValue; pos: ReturnType<typeof spanPos> };
  name?: string;
}

function readMeta(block: HclBlock, scope: Scope, problems: Problems): Meta {
  const meta: Meta = {};
  for (const attribute of block.body.attributes) {
    if (!META.includes(attribute.name)) continue;
    let value: HclValue;
    try {
      value = evaluateIn(scope, attribute.expr);
    } catch (error) {
      problems.addError(error, `${blockTitle(block)}.${attribute.name}`);
      continue;
    }
    // `only = cond ? [...] : null` is the usual way to apply a filter sometimes.
    if (value === null) continue;
    if (attribute.name === 'override') meta.override = { value, pos: spanPos(attribute.nameSpan) };
    else if (attribute.name === 'name') {
      if (typeof value === 'string') meta.name = value;
      else problems.add(attribute.expr.span, `${blockTitle(block)}: name must be a string`);
    } else {
      if (isStringList(value)) meta[attribute.name as 'only' | 'except'] = value;
      else problems.add(attribute.expr.span, `${blockTitle(block)}: ${attribute.name} must be a list of strings, like ["qemu.vm"]`);
    }
  }
  return meta;
}

/**
 * A filter naming a source the template does not have is most likely a typo; Packer
 * accepts it silently, so kiln notes it rather than refusing a template Packer builds.
 */
function checkName(entry: string, key: string, title: string, block: HclBlock, target: PluginTarget, notes: PackerNote[]): void {
  if (target.knownNames.includes(sourceKey(entry))) return;
  const suggestion = didYouMean(sourceKey(entry), target.knownNames);
  notes.push({ pos: spanPos(block.span), message: `${title}: ${key} names "${entry}", which is not a source of this build${suggestion || `: sources are named "type.name", here ${target.knownNames.join(', ')}`}` });
}

function overrideFor(value: HclValue, target: PluginTarget, title: string, block: HclBlock, problems: Problems, notes: PackerNote[]): Record<string, PackerValue> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(block.span, `${title}: override must be an object keyed by source name, like { vm = { ... } }`);
    return undefined;
  }
  const bareNames = target.knownNames.map((n) => n.slice(n.indexOf('.') + 1));
  let chosen: Record<string, PackerValue> | undefined;
  for (const [key, settings] of Object.entries(value)) {
    if (!bareNames.includes(key) && !target.knownNames.includes(sourceKey(key))) {
      notes.push({ pos: spanPos(block.span), message: `${title}: override has "${key}", which is not a source of this build; it is ignored${didYouMean(key, [...bareNames, ...target.knownNames])}` });
      continue;
    }
    if (key !== target.name && sourceKey(key) !== target.sourceName) continue;
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
      problems.add(block.span, `${title}: override "${key}" must be an object of settings`);
      continue;
    }
    chosen = { ...chosen, ...settings };
  }
  return chosen;
}
