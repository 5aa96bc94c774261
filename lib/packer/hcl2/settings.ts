// A plugin block's body evaluated into settings: each attribute's value, and each kind
// of nested block as a list of objects under the block's type (Packer's plugin schemas
// read repeated blocks as a list), each key keeping where it was written. A setting that
// evaluates to null is left out: Packer treats it as not set. dynamic blocks expand here.
import type { PackerValue, Setting } from '../model.js';
import { expandDynamic, type ScopedBody } from './dynamic-blocks.js';
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
  const groups = new Map<string, ScopedBody[]>();
  for (const block of body.blocks) {
    if (skip.includes(block.type)) continue;
    const made = block.type === 'dynamic' ? expandDynamic(block, scope, problems, path) : nestedBlock(block, problems, path, scope);
    for (const item of made) {
      if (Object.hasOwn(settings, item.type)) {
        problems.add(item.span, `"${item.type}" is set both as an attribute and as a block; use one form`, `${path}.${item.type}`);
        continue;
      }
      groups.set(item.type, [...(groups.get(item.type) ?? []), item]);
    }
  }
  for (const [type, items] of groups) {
    const values = items.map((item, index) => plainObject(evaluateSettings(item.body, item.scope, problems, `${path}.${type}[${index}]`)));
    settings[type] = { value: values, pos: spanPos((items[0] as ScopedBody).span) };
  }
  return settings;
}

/** The values alone (fromEntries, so that a key named __proto__ stays an ordinary key). */
function nestedBlock(block: HclBlock, problems: Problems, path: string, scope: Scope): ScopedBody[] {
  if (block.labels.length === 0) return [{ type: block.type, body: block.body, scope, span: block.span }];
  problems.add(block.span, `a ${block.type} block inside ${path} takes no labels`, `${path}.${block.type}`);
  return [];
}

export function plainObject(settings: Settings): { [key: string]: PackerValue } {
  return Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.value]));
}

/** only, except and sources are lists of strings. */
export function isStringList(value: HclValue): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
