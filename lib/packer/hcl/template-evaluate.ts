// String templates: text, ${ } interpolations of strings, numbers and bools, %{ if } and
// %{ for } directives. A template that is one interpolation and nothing else ("${x}")
// yields x itself, of whatever type, as HCL does.
import type { TemplatePart } from './ast.js';
import { evaluateIn, type Evaluation } from './evaluate.js';
import { bindPair, iterationPairs } from './for-expression.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { asBool, asString, describeValue } from './values.js';

export function evaluateTemplate(parts: TemplatePart[], evaluation: Evaluation): HclValue {
  const only = parts[0];
  if (parts.length === 1 && only?.kind === 'interpolation') return evaluateIn(only.expr, evaluation);
  return render(parts, evaluation);
}

function render(parts: TemplatePart[], evaluation: Evaluation): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'interpolation': {
        const value = evaluateIn(part.expr, evaluation);
        const text = asString(value);
        if (text === undefined) throw new HclError(`cannot insert ${describeValue(value)} into a string`, part.expr.span);
        out += text;
        break;
      }
      case 'if': {
        const condition = evaluateIn(part.condition, evaluation);
        const chosen = asBool(condition);
        if (chosen === undefined) throw new HclError(`%{ if } needs a bool, got ${describeValue(condition)}`, part.condition.span);
        out += render(chosen ? part.then : part.else, evaluation);
        break;
      }
      case 'for':
        for (const pair of iterationPairs(evaluateIn(part.collection, evaluation), part.collection.span)) {
          out += render(part.body, bindPair(evaluation, part.keyVar, part.valueVar, pair));
        }
        break;
    }
  }
  return out;
}
