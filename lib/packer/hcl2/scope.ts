// What a Packer expression can refer to where it is written: var and local everywhere
// after the variables, path always, source and build inside a build block, data never
// (kiln runs no data sources, so each reference is an error that try() and can() catch),
// and a dynamic block's iterator inside its content.
import { didYouMean } from '../../util/did-you-mean.js';
import { own } from '../../util/own.js';
import { evaluate, HclError, hclFunctions, traversals, type EvalContext, type FunctionContext, type HclExpr, type HclValue, type Span } from './hcl.js';

/** Thrown for an expression that refers to a variable or local whose own evaluation failed (already reported). */
export class DependencyFailed extends Error {
  constructor(readonly reference: string) {
    super(`${reference} has an error of its own`);
    this.name = 'DependencyFailed';
  }
}

export interface Scope {
  vars: Record<string, HclValue>;
  locals: Record<string, HclValue>;
  /** "var.x" and "local.y" that exist but whose value could not be worked out. */
  failed: ReadonlySet<string>;
  path: { root: string; cwd: string };
  functionContext: FunctionContext;
  /** Inside a build block: the source being built (its type and, maybe renamed, name). */
  source?: { type: string; name: string };
  /** Inside a build block: `build.name` and the build variables (`build.Host`, ...). */
  build?: Record<string, HclValue>;
  /** Inside a dynamic block's content: its iterator ({ key, value }) by name. */
  iterators?: Record<string, HclValue>;
}

const samePlace = (a: Span, b: Span): boolean => a.file === b.file && a.line === b.line && a.column === b.column;

/** Evaluates `expr` in `scope`; throws HclError (with its position) for anything wrong in it. */
export function evaluateIn(scope: Scope, expr: HclExpr): HclValue {
  const refs = traversals(expr);
  for (const ref of refs) checkReference(scope, ref.root, ref.steps[0], ref.span);
  const context: EvalContext = {
    functions: hclFunctions,
    functionContext: scope.functionContext,
    knownRoots: ['var', 'local', 'path', 'source', 'build', 'data'],
    resolve(root: string, span: Span): HclValue | undefined {
      switch (root) {
        case 'var':
          return scope.vars;
        case 'local':
          return scope.locals;
        case 'path':
          return scope.path;
        case 'source':
          if (scope.source === undefined) throw new HclError('source.name and source.type can only be used inside a build block', span);
          return scope.source;
        case 'build':
          if (scope.build === undefined) throw new HclError('build.* can only be used inside a build block', span);
          return scope.build;
        case 'data': {
          const ref = refs.find((r) => r.root === 'data' && samePlace(r.span, span));
          const type = ref?.steps[0];
          throw new HclError(type === undefined ? 'data sources are not supported by kiln' : `data source ${type} is not supported by kiln`, span);
        }
        default:
          return scope.iterators === undefined ? undefined : own(scope.iterators, root);
      }
    },
  };
  return evaluate(expr, context);
}

const ROOT_ATTRIBUTES: Record<string, readonly string[]> = { path: ['root', 'cwd'], source: ['name', 'type'] };

function checkReference(scope: Scope, root: string, name: string | undefined, span: Span): void {
  if (name === undefined) return;
  if (root === 'var' || root === 'local') {
    const reference = `${root}.${name}`;
    if (scope.failed.has(reference)) throw new DependencyFailed(reference);
    const table = root === 'var' ? scope.vars : scope.locals;
    if (own(table, name) !== undefined) return;
    const kind = root === 'var' ? 'variable' : 'local';
    const hint = didYouMean(name, Object.keys(table), (s) => `"${root}.${s}"`) || (root === 'var' ? `: declare it with variable "${name}" { }` : `: define it in a locals block`);
    throw new HclError(`unknown ${kind} "${reference}"${hint}`, span);
  }
  const known = own(ROOT_ATTRIBUTES, root);
  if (known !== undefined && !known.includes(name) && (root !== 'source' || scope.source !== undefined)) {
    throw new HclError(`"${root}.${name}" does not exist: ${root} has ${known.map((k) => `${root}.${k}`).join(' and ')}${didYouMean(name, known, (s) => `"${root}.${s}"`)}`, span);
  }
}
