// Function calls. Most come from the context's function table; try() and can() are
// evaluated here because they need their arguments unevaluated, and templatefile()
// because it parses and evaluates a template with its own scope (template-file.ts).
import { didYouMean } from '../../util/did-you-mean.js';
import type { HclExpr } from './ast.js';
import { evaluateIn, type Evaluation } from './evaluate.js';
import { FunctionError, type HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { renderTemplateFile } from './template-file.js';
import { describeValue } from './values.js';

type CallExpr = Extract<HclExpr, { kind: 'call' }>;

const SPECIAL_FORMS = ['try', 'can', 'templatefile'];

export function evaluateCall(expr: CallExpr, evaluation: Evaluation): HclValue {
  switch (expr.name) {
    case 'try':
      return evaluateTry(expr, evaluation);
    case 'can':
      expectArity(expr, 1);
      return succeeds(expr.args[0]!, evaluation);
    case 'templatefile': {
      expectArity(expr, 2);
      const [path, vars] = evaluateArguments(expr, evaluation);
      if (evaluation.inTemplateFile) throw new HclError('templatefile: a template file cannot call templatefile()', expr.span);
      return renderTemplateFile(path!, vars!, evaluation, expr.span);
    }
    default:
      return callFunction(expr, evaluation);
  }
}

function callFunction(expr: CallExpr, evaluation: Evaluation): HclValue {
  const { functions, functionContext } = evaluation.context;
  const implementation = Object.hasOwn(functions, expr.name) ? functions[expr.name] : undefined;
  if (implementation === undefined) {
    throw new HclError(`there is no function named "${expr.name}"${didYouMean(expr.name, [...Object.keys(functions), ...SPECIAL_FORMS])}`, expr.span);
  }
  const args = evaluateArguments(expr, evaluation);
  try {
    return implementation(args, functionContext);
  } catch (error) {
    if (!(error instanceof FunctionError)) throw error;
    const message = error.message.startsWith(`${expr.name}:`) ? error.message : `${expr.name}: ${error.message}`;
    throw new HclError(message, expr.span);
  }
}

/** The arguments' values, the last one spread when it is followed by `...`. */
function evaluateArguments(expr: CallExpr, evaluation: Evaluation): HclValue[] {
  const values = expr.args.map((arg) => evaluateIn(arg, evaluation));
  if (!expr.expandFinal) return values;
  const last = values.pop();
  if (!Array.isArray(last)) throw new HclError(`${expr.name}: the argument before "..." must be a list, got ${describeValue(last ?? null)}`, expr.args.at(-1)?.span ?? expr.span);
  return [...values, ...last];
}

function expectArity(expr: CallExpr, count: number): void {
  if (expr.expandFinal) throw new HclError(`${expr.name}: "..." cannot expand arguments of ${expr.name}()`, expr.span);
  if (expr.args.length !== count) throw new HclError(`${expr.name}: takes ${count} argument${count === 1 ? '' : 's'}, got ${expr.args.length}`, expr.span);
}

/** The first argument that evaluates without an error. */
function evaluateTry(expr: CallExpr, evaluation: Evaluation): HclValue {
  if (expr.expandFinal) throw new HclError('try: "..." cannot expand arguments of try()', expr.span);
  if (expr.args.length === 0) throw new HclError('try: takes at least one argument', expr.span);
  let last: HclError | undefined;
  for (const arg of expr.args) {
    try {
      return evaluateIn(arg, evaluation);
    } catch (error) {
      if (!(error instanceof HclError)) throw error;
      last = error;
    }
  }
  throw new HclError(`try: no argument evaluated without an error; the last one failed with: ${last!.message}`, last!.span);
}

function succeeds(arg: HclExpr, evaluation: Evaluation): boolean {
  try {
    evaluateIn(arg, evaluation);
    return true;
  } catch (error) {
    if (error instanceof HclError) return false;
    throw error;
  }
}
