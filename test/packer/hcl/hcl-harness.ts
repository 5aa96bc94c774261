// Test helper: HCL text parsed and evaluated for real, with a small function table and a
// fixed set of names (the real function library lives in lib/packer/hcl/functions).
import * as assert from 'uvu/assert';
import type { HclExpr } from '../../../lib/packer/hcl/ast.js';
import { evaluate, type EvalContext } from '../../../lib/packer/hcl/evaluate.js';
import { FunctionError, type HclFunction, type HclValue } from '../../../lib/packer/hcl/functions/function-types.js';
import { HclError } from '../../../lib/packer/hcl/hcl-error.js';
import { parseHcl } from '../../../lib/packer/hcl/parse.js';
import { thrown } from '../../helpers/rejection.js';

export const FUNCTIONS: Record<string, HclFunction> = {
  upper: ([text]) => {
    if (typeof text !== 'string') throw new FunctionError(`upper: argument 1 must be a string, got ${typeof text}`);
    return text.toUpperCase();
  },
  join: ([separator, list]) => {
    if (typeof separator !== 'string' || !Array.isArray(list)) throw new FunctionError('join: needs a separator and a list');
    return list.join(separator);
  },
  length: ([value]) => (Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : Object.keys(value ?? {}).length),
  max: (args) => Math.max(...(args as number[])),
};

export const NAMES: Record<string, HclValue> = {
  var: { name: 'web', count: 3, list: [1, 2, 3], tags: { env: 'prod', team: 'ops' }, empty: null, flag: 'true' },
  local: { disks: [{ size: 10, label: 'a' }, { size: 20, label: 'b' }], nested: { a: { b: ['x', 'y'] } } },
};

export function contextWith(names: Record<string, HclValue> = NAMES, cwd = '/tmp'): EvalContext {
  return {
    resolve: (root) => (Object.hasOwn(names, root) ? names[root] : undefined),
    functions: FUNCTIONS,
    functionContext: { cwd, env: {}, now: () => new Date(0) },
    knownRoots: Object.keys(names),
  };
}

/** The expression `text` as written in `v = text`. */
export async function expression(text: string, file = 'test.pkr.hcl'): Promise<HclExpr> {
  const body = await parseHcl(`v = ${text}\n`, file);
  assert.is(body.attributes.length, 1, `one attribute from ${text}`);
  return body.attributes[0]!.expr;
}

export async function evaluated(text: string, context = contextWith()): Promise<HclValue> {
  return evaluate(await expression(text), context);
}

/** The HclError evaluating `text` raises; fails the test when it evaluates. */
export async function evaluationError(text: string, context = contextWith()): Promise<HclError> {
  const expr = await expression(text);
  const error = thrown(() => evaluate(expr, context), text);
  if (!(error instanceof HclError)) throw error;
  return error;
}
