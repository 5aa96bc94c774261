// `[for k, v in c : v if cond]` and `{for k, v in c : key => v... if cond}`: lists give
// index and element, objects key and value in key order; `...` groups values by key.
import type { ForExpr, Span } from './ast.js';
import { bind, evaluateIn, setProperty, type Evaluation } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { asBool, asString, describeValue, isObject } from './values.js';

/** The (key, value) pairs a for expression or %{ for } directive iterates. */
export function iterationPairs(collection: HclValue, span: Span): [HclValue, HclValue][] {
  if (Array.isArray(collection)) return collection.map((value, index) => [index, value]);
  if (isObject(collection)) return Object.keys(collection).sort().map((key) => [key, collection[key]!]);
  throw new HclError(`a for loop needs a list or an object to iterate, got ${describeValue(collection)}`, span);
}

/** The evaluation with the loop's names bound to one pair. */
export function bindPair(evaluation: Evaluation, keyVar: string | undefined, valueVar: string, [key, value]: [HclValue, HclValue]): Evaluation {
  const names = new Map<string, HclValue>();
  if (keyVar !== undefined) names.set(keyVar, key);
  names.set(valueVar, value);
  return bind(evaluation, names);
}

export function evaluateFor(expr: ForExpr, evaluation: Evaluation): HclValue {
  const pairs = iterationPairs(evaluateIn(expr.collection, evaluation), expr.collection.span);
  const included = pairs.map((pair) => bindPair(evaluation, expr.keyVar, expr.valueVar, pair)).filter((inner) => keeps(expr, inner));
  if (expr.key === undefined) return included.map((inner) => evaluateIn(expr.value, inner));
  const keyExpr = expr.key;
  const object: { [key: string]: HclValue } = {};
  for (const inner of included) {
    const keyValue = evaluateIn(keyExpr, inner);
    const key = asString(keyValue);
    if (key === undefined) throw new HclError(`a for expression's key must be a string, got ${describeValue(keyValue)}`, keyExpr.span);
    const value = evaluateIn(expr.value, inner);
    const existing = Object.hasOwn(object, key) ? object[key]! : undefined;
    if (expr.grouping) setProperty(object, key, [...((existing as HclValue[] | undefined) ?? []), value]);
    else if (existing !== undefined) throw new HclError(`two elements have the key "${key}"; add "..." after the value to group them into lists`, keyExpr.span);
    else setProperty(object, key, value);
  }
  return object;
}

function keeps(expr: ForExpr, inner: Evaluation): boolean {
  if (expr.condition === undefined) return true;
  const value = evaluateIn(expr.condition, inner);
  const keep = asBool(value);
  if (keep === undefined) throw new HclError(`a for expression's "if" must be a bool, got ${describeValue(value)}`, expr.condition.span);
  return keep;
}
