// `locals { name = expr }` and `local "name" { expression = ..., sensitive = true }`:
// evaluated in dependency order (a local may use any other, wherever it is written),
// a cycle reported with its chain, a local that fails leaving its users silent.
import { didYouMean } from '../../util/did-you-mean.js';
import { traversals, type HclAttribute, type HclBlock, type HclExpr, type HclValue, type Span } from './hcl.js';
import type { Problems } from './problems.js';
import { evaluateIn, type Scope } from './scope.js';
import { blockTitle } from './top-level.js';
import { stringsIn } from './variables/assign.js';

interface LocalDefinition {
  name: string;
  expr: HclExpr;
  span: Span;
  sensitive: boolean;
  /** Names of the locals its expression uses. */
  uses: string[];
}

export interface EvaluatedLocals {
  values: Record<string, HclValue>;
  failed: Set<string>;
  sensitive: string[];
}

export function evaluateLocals(attributes: readonly HclAttribute[], blocks: readonly HclBlock[], scope: Scope, problems: Problems): EvaluatedLocals {
  const definitions = defineLocals(attributes, blocks, scope, problems);
  const result: EvaluatedLocals = { values: Object.create(null) as Record<string, HclValue>, failed: new Set(), sensitive: [] };
  const state = new Map<string, 'visiting' | 'done'>();
  const failed = new Set(scope.failed);
  const localScope: Scope = { ...scope, locals: result.values, failed };
  const markFailed = (name: string): void => {
    result.failed.add(`local.${name}`);
    failed.add(`local.${name}`);
  };

  const visit = (definition: LocalDefinition, chain: string[]): void => {
    const status = state.get(definition.name);
    if (status === 'done') return;
    if (status === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(definition.name)), definition.name].map((n) => `local.${n}`).join(' -> ');
      problems.add(definition.span, `local "${definition.name}" depends on itself: ${cycle}`, `local.${definition.name}`);
      markFailed(definition.name);
      return;
    }
    state.set(definition.name, 'visiting');
    for (const used of definition.uses) {
      const dependency = definitions.get(used);
      if (dependency !== undefined) visit(dependency, [...chain, definition.name]);
    }
    state.set(definition.name, 'done');
    if (result.failed.has(`local.${definition.name}`)) return;
    try {
      const value = evaluateIn(localScope, definition.expr);
      result.values[definition.name] = value;
      if (definition.sensitive) result.sensitive.push(...stringsIn(value));
    } catch (error) {
      problems.addError(error, `local.${definition.name}`);
      markFailed(definition.name);
    }
  };
  // Every local name is known before any is evaluated, so a reference to one not yet
  // evaluated is not mistaken for an unknown one.
  for (const name of definitions.keys()) if (!Object.hasOwn(result.values, name)) result.values[name] = null;
  for (const definition of definitions.values()) visit(definition, []);
  return result;
}

function defineLocals(attributes: readonly HclAttribute[], blocks: readonly HclBlock[], scope: Scope, problems: Problems): Map<string, LocalDefinition> {
  const definitions = new Map<string, LocalDefinition>();
  const add = (name: string, expr: HclExpr, span: Span, sensitive: boolean): void => {
    const earlier = definitions.get(name);
    if (earlier !== undefined) {
      problems.add(span, `local "${name}" is defined twice (first at ${earlier.span.file}:${earlier.span.line}:${earlier.span.column})`, `local.${name}`);
      return;
    }
    const uses = traversals(expr).filter((ref) => ref.root === 'local').flatMap((ref) => ref.steps.slice(0, 1));
    definitions.set(name, { name, expr, span, sensitive, uses });
  };
  for (const attribute of attributes) add(attribute.name, attribute.expr, attribute.nameSpan, false);
  for (const block of blocks) {
    const name = block.labels[0] ?? '';
    const expression = block.body.attributes.find((a) => a.name === 'expression');
    let sensitive = false;
    for (const attribute of block.body.attributes) {
      if (attribute.name === 'expression') continue;
      if (attribute.name !== 'sensitive') {
        problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in ${blockTitle(block)}${didYouMean(attribute.name, ['expression', 'sensitive']) || ': a local block takes expression and sensitive'}`);
        continue;
      }
      try {
        const value = evaluateIn({ ...scope, vars: {}, locals: {} }, attribute.expr);
        if (typeof value !== 'boolean') problems.add(attribute.expr.span, `${blockTitle(block)}: sensitive must be true or false`);
        else sensitive = value;
      } catch (error) {
        problems.addError(error);
      }
    }
    for (const nested of block.body.blocks) problems.add(nested.span, `${blockTitle(nested)}: a local block holds no blocks`);
    if (expression === undefined) problems.add(block.span, `${blockTitle(block)} needs an expression attribute`);
    else add(name, expression.expr, block.span, sensitive);
  }
  return definitions;
}
