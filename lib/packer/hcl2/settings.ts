// A plugin block's body evaluated into settings: each attribute's value, and each kind
// of nested block as a list of objects under the block's type (Packer's plugin schemas
// read repeated blocks as a list), each key keeping where it was written. A setting that
// evaluates to null is left out: Packer treats it as not set.
import type { PackerValue, Setting } from '../model.js';
import type { HclBlock, HclBody, HclValue } from './hcl.js';
import { spanPos, type Problems } from './problems.js';
import { evaluateIn, type Scope } from './scope.js';

export type Settings = Record<string, Setting>;

/**
 * Evaluates every attribute and nested block of `body` except the `skip` names (meta
 * arguments the caller reads itself). A failing attribute is reported and left out.
 */
export function evaluateSettings(body: HclBody, scope: Scope, problems: Problems, path: string, skip: readonly string[] = []): Settings {
  const settings: Settings = Object.create(null) as Settings;
  for (const attribute of body.attributes) {
    if (skip.includes(attribute.name)) continue;
    try {
      const value = evaluateIn(scope, attribute.expr);
      // A null setting is an unset one, as Packer decodes plugin configuration.
      if (value !== null) settings[attribute.name] = { value, pos: spanPos(attribute.nameSpan) };
    } catch (error) {
      problems.addError(error, `${path}.${attribute.name}`);
    }
  }
  const groups = new Map<string, HclBlock[]>();
  for (const block of body.blocks) {
    if (skip.includes(block.type)) continue;
    if (Object.hasOwn(settings, block.type)) {
      problems.add(block.span, `"${block.type}" is set both as an attribute and as a block; use one form`, `${path}.${block.type}`);
      continue;
    }
    if (block.labels.length > 0) {
      problems.add(block.span, `a ${block.type} block inside ${path} takes no labels`, `${path}.${block.type}`);
      continue;
    }
    groups.set(block.type, [...(groups.get(block.type) ?? []), block]);
  }
  for (const [type, blocks] of groups) {
    const first = blocks[0] as HclBlock;
    const items = blocks.map((block, index) => plainObject(evaluateSettings(block.body, scope, problems, `${path}.${type}[${index}]`)));
    settings[type] = { value: items, pos: spanPos(first.span) };
  }
  return settings;
}

/** The values alone (fromEntries, so that a key named __proto__ stays an ordinary key). */
export function plainObject(settings: Settings): { [key: string]: PackerValue } {
  return Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.value]));
}

/** only, except and sources are lists of strings. */
export function isStringList(value: HclValue): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
