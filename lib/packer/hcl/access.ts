// Attribute access, indexing and splats: `x.name`, `x[key]`, `x.0`, `x[*].name`, `x.*.name`.
import { didYouMean } from '../../util/did-you-mean.js';
import type { HclExpr, Span } from './ast.js';
import { evaluateIn, type Evaluation } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { asNumber, asString, describeValue, isObject } from './values.js';

export function evaluateGetAttr(target: HclValue, name: string, span: Span): HclValue {
  if (isObject(target)) return attribute(target, name, span);
  if (target === null) throw new HclError(`cannot read attribute "${name}" of null`, span);
  // x.0 on a list is written as an index; x.name on a list is a mistake.
  throw new HclError(`cannot read attribute "${name}" of ${describeValue(target)}${Array.isArray(target) ? '; use [*] to read it from every element' : ''}`, span);
}

function attribute(object: { [key: string]: HclValue }, name: string, span: Span): HclValue {
  if (Object.hasOwn(object, name)) return object[name]!;
  throw new HclError(`this object has no attribute "${name}"${didYouMean(name, Object.keys(object))}`, span);
}

export function evaluateIndex(target: HclValue, key: HclValue, span: Span): HclValue {
  if (Array.isArray(target)) {
    const index = asNumber(key);
    if (index === undefined || !Number.isInteger(index)) throw new HclError(`a list index must be a whole number, got ${describeValue(key)}`, span);
    if (index < 0 || index >= target.length) throw new HclError(`index ${index} is out of range for a list of ${target.length} element${target.length === 1 ? '' : 's'}`, span);
    return target[index]!;
  }
  if (isObject(target)) {
    const name = asString(key);
    if (name === undefined) throw new HclError(`an object key must be a string, got ${describeValue(key)}`, span);
    if (Object.hasOwn(target, name)) return target[name]!;
    throw new HclError(`this object has no key "${name}"${didYouMean(name, Object.keys(target))}`, span);
  }
  if (target === null) throw new HclError('cannot index null', span);
  throw new HclError(`cannot index ${describeValue(target)}; only lists and objects have elements`, span);
}

/** `each` applied to every element; null is an empty list and any other single value a list of one. */
export function evaluateSplat(expr: Extract<HclExpr, { kind: 'splat' }>, evaluation: Evaluation): HclValue {
  const target = evaluateIn(expr.target, evaluation);
  const items = target === null ? [] : Array.isArray(target) ? target : [target];
  return items.map((item) => evaluateIn(expr.each, { ...evaluation, splatItem: item }));
}
