// Attribute access, indexing and splats: `x.name`, `x[key]`, `x.0`, `x[*].name`, `x.*.name`.
import { didYouMean } from '../../util/did-you-mean.js';
import type { HclExpr } from './ast.js';
import { evaluateIn, type Evaluation } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { asNumber, asString, describeValue, isObject } from './values.js';

type GetAttr = Extract<HclExpr, { kind: 'getAttr' }>;
type Index = Extract<HclExpr, { kind: 'index' }>;

export function evaluateGetAttr(target: HclValue, { name, span, target: targetExpr }: GetAttr): HclValue {
  if (isObject(target) && Object.hasOwn(target, name)) return target[name]!;
  const written = writtenAs(targetExpr);
  if (isObject(target)) throw new HclError(`${written} has no attribute "${name}"${didYouMean(name, Object.keys(target))}`, span);
  if (target === null) throw new HclError(`cannot read attribute "${name}" of ${written}: it is null`, span);
  // x.0 on a list is written as an index; x.name on a list is a mistake.
  throw new HclError(`cannot read attribute "${name}" of ${written}: it is ${describeValue(target)}${Array.isArray(target) ? '; use [*] to read it from every element' : ''}`, span);
}

export function evaluateIndex(target: HclValue, key: HclValue, { span, target: targetExpr }: Index): HclValue {
  const written = (): string => writtenAs(targetExpr);
  if (Array.isArray(target)) {
    const index = asNumber(key);
    if (index === undefined || !Number.isInteger(index)) throw new HclError(`a list index must be a whole number, got ${describeValue(key)}`, span);
    if (index < 0 || index >= target.length) throw new HclError(`index ${index} is out of range: ${written()} has ${target.length} element${target.length === 1 ? '' : 's'}`, span);
    return target[index]!;
  }
  if (isObject(target)) {
    const name = asString(key);
    if (name === undefined) throw new HclError(`an object key must be a string, got ${describeValue(key)}`, span);
    if (Object.hasOwn(target, name)) return target[name]!;
    throw new HclError(`${written()} has no key "${name}"${didYouMean(name, Object.keys(target))}`, span);
  }
  if (target === null) throw new HclError(`cannot index ${written()}: it is null`, span);
  throw new HclError(`cannot index ${written()}: it is ${describeValue(target)}; only lists and objects have elements`, span);
}

/** How the target of an access reads in a message: `var.tags`, `local.disks[0]`; "an element" in a splat, "the value" when computed. */
function writtenAs(expr: HclExpr): string {
  const steps: string[] = [];
  for (let node: HclExpr = expr; ; node = node.target) {
    if (node.kind === 'variable') return [node.name, ...steps].join('');
    if (node.kind === 'getAttr') steps.unshift(`.${node.name}`);
    else if (node.kind === 'index' && node.key.kind === 'literal') steps.unshift(`[${JSON.stringify(node.key.value)}]`);
    else return node.kind === 'splatItem' && steps.length === 0 ? 'an element' : 'the value';
  }
}

/** `each` applied to every element; null is an empty list and any other single value a list of one. */
export function evaluateSplat(expr: Extract<HclExpr, { kind: 'splat' }>, evaluation: Evaluation): HclValue {
  const target = evaluateIn(expr.target, evaluation);
  const items = target === null ? [] : Array.isArray(target) ? target : [target];
  return items.map((item) => evaluateIn(expr.each, { ...evaluation, splatItem: item }));
}
