// HCL's operators: arithmetic and ordering on numbers (numeric strings convert), && || !
// on bools ("true"/"false" convert), == and != on any values without conversion.
import type { BinaryOperator, HclExpr, Span } from './ast.js';
import { evaluateIn, type Evaluation } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { asBool, asNumber, describeValue, valuesEqual } from './values.js';

export function evaluateUnary(operator: '-' | '!', operand: HclValue, span: Span): HclValue {
  if (operator === '!') return !boolOperand(operand, '!', span);
  return -numberOperand(operand, '-', span);
}

export function evaluateBinary(expr: Extract<HclExpr, { kind: 'binary' }>, evaluation: Evaluation): HclValue {
  const { operator } = expr;
  const left = evaluateIn(expr.left, evaluation);
  // && and || stop at a decided left side (as newer HCL does), so `x != null && x.y` works.
  if (operator === '&&' || operator === '||') {
    const decided = boolOperand(left, operator, expr.left.span);
    if (decided === (operator === '||')) return decided;
    return boolOperand(evaluateIn(expr.right, evaluation), operator, expr.right.span);
  }
  const right = evaluateIn(expr.right, evaluation);
  switch (operator) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    default:
      return arithmetic(operator, numberOperand(left, operator, expr.left.span), numberOperand(right, operator, expr.right.span), expr.span);
  }
}

function arithmetic(operator: BinaryOperator, a: number, b: number, span: Span): HclValue {
  switch (operator) {
    case '+':
      return finite(a + b, span);
    case '-':
      return finite(a - b, span);
    case '*':
      return finite(a * b, span);
    case '/':
      if (b === 0) throw new HclError('division by zero', span);
      return finite(a / b, span);
    case '%':
      if (b === 0) throw new HclError('modulo by zero', span);
      return a % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function finite(value: number, span: Span): number {
  if (!Number.isFinite(value)) throw new HclError('the result is too large for a number', span);
  return value;
}

function numberOperand(value: HclValue, operator: string, span: Span): number {
  const number = asNumber(value);
  if (number === undefined) throw new HclError(`"${operator}" needs a number, got ${describeValue(value)}`, span);
  return number;
}

function boolOperand(value: HclValue, operator: string, span: Span): boolean {
  const bool = asBool(value);
  if (bool === undefined) throw new HclError(`"${operator}" needs a bool, got ${describeValue(value)}`, span);
  return bool;
}
