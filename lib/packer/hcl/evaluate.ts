// Evaluates kiln's HCL syntax tree to plain values. Names resolve through the for-loop
// scopes first, then the caller's EvalContext (var, local, path, ...); functions come
// from the context too, except try, can and templatefile, which need the unevaluated
// arguments or the parser (calls.ts).
import { didYouMean } from '../../util/did-you-mean.js';
import { evaluateGetAttr, evaluateIndex, evaluateSplat } from './access.js';
import type { HclExpr, Span } from './ast.js';
import { evaluateCall } from './calls.js';
import { evaluateFor } from './for-expression.js';
import type { FunctionContext, HclFunction, HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { evaluateBinary, evaluateUnary } from './operators.js';
import { evaluateTemplate } from './template-evaluate.js';
import { asBool, asString, describeValue } from './values.js';

export { traversals } from './traversals.js';

export interface EvalContext {
  /** A traversal's root name (var, local, path, data, source, ...) -> its value; undefined = unknown name (you raise the error, with did-you-mean if easy). May throw HclError itself (data sources kiln lacks do), which try()/can() catch. */
  resolve(root: string, span: Span): HclValue | undefined;
  functions: Readonly<Record<string, HclFunction>>;
  functionContext: FunctionContext;
  /** The root names resolve knows, for "did you mean" on a misspelt one. */
  knownRoots?: readonly string[];
}

/** Names bound by for expressions and %{ for } directives, innermost first. */
export interface Scope {
  readonly names: ReadonlyMap<string, HclValue>;
  readonly parent?: Scope;
}

/** One evaluation's state: the context, the for-loop scopes, the element a splat is visiting. */
export interface Evaluation {
  readonly context: EvalContext;
  readonly scope?: Scope;
  readonly splatItem?: HclValue;
  /** Inside a templatefile() template, which may not call templatefile() again. */
  readonly inTemplateFile: boolean;
}

export function evaluate(expr: HclExpr, context: EvalContext): HclValue {
  return evaluateIn(expr, { context, inTemplateFile: false });
}

export function evaluateIn(expr: HclExpr, evaluation: Evaluation): HclValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return evaluateTemplate(expr.parts, evaluation);
    case 'variable':
      return lookUp(expr.name, expr.span, evaluation);
    case 'tuple':
      return expr.items.map((item) => evaluateIn(item, evaluation));
    case 'object': {
      const object: { [key: string]: HclValue } = {};
      for (const item of expr.items) {
        const key = evaluateIn(item.key, evaluation);
        const name = asString(key);
        if (name === undefined) throw new HclError(`an object key must be a string, got ${describeValue(key)}`, item.key.span);
        setProperty(object, name, evaluateIn(item.value, evaluation));
      }
      return object;
    }
    case 'getAttr':
      return evaluateGetAttr(evaluateIn(expr.target, evaluation), expr);
    case 'index':
      return evaluateIndex(evaluateIn(expr.target, evaluation), evaluateIn(expr.key, evaluation), expr);
    case 'splat':
      return evaluateSplat(expr, evaluation);
    case 'splatItem':
      if (evaluation.splatItem === undefined) throw new HclError('a splat element outside a splat', expr.span);
      return evaluation.splatItem;
    case 'call':
      return evaluateCall(expr, evaluation);
    case 'for':
      return evaluateFor(expr, evaluation);
    case 'conditional': {
      const condition = evaluateIn(expr.condition, evaluation);
      const chosen = asBool(condition);
      if (chosen === undefined) throw new HclError(`the condition must be a bool, got ${describeValue(condition)}`, expr.condition.span);
      return evaluateIn(chosen ? expr.then : expr.else, evaluation);
    }
    case 'unary':
      return evaluateUnary(expr.operator, evaluateIn(expr.operand, evaluation), expr.span);
    case 'binary':
      return evaluateBinary(expr, evaluation);
  }
}

/** Sets a key as data: "__proto__" is a key like any other, not the prototype. */
export function setProperty(object: { [key: string]: HclValue }, key: string, value: HclValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function lookUp(name: string, span: Span, evaluation: Evaluation): HclValue {
  for (let scope = evaluation.scope; scope !== undefined; scope = scope.parent) {
    const value = scope.names.get(name);
    if (value !== undefined) return value;
  }
  const value = evaluation.context.resolve(name, span);
  if (value !== undefined) return value;
  throw new HclError(`there is no variable named "${name}"${didYouMean(name, [...scopeNames(evaluation.scope), ...(evaluation.context.knownRoots ?? [])])}`, span);
}

function* scopeNames(scope: Scope | undefined): Generator<string> {
  for (; scope !== undefined; scope = scope.parent) yield* scope.names.keys();
}

/** The evaluation with `names` bound in a new innermost scope. */
export function bind(evaluation: Evaluation, names: Map<string, HclValue>): Evaluation {
  return { ...evaluation, scope: { names, ...(evaluation.scope === undefined ? {} : { parent: evaluation.scope }) } };
}
