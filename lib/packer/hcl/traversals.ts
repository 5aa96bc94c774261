// The variables an expression reads, for dependency ordering (locals that use other
// locals) and for checks such as "var.x is not declared" before evaluating anything.
import type { HclExpr, Span, TemplatePart } from './ast.js';

export interface Traversal {
  root: string;
  steps: string[];
  span: Span;
}

/** Every variable reference in expr (not for-expression iterators): var.a.b -> { root: 'var', steps: ['a','b'] } */
export function traversals(expr: HclExpr): Traversal[] {
  const found: Traversal[] = [];
  collect(expr, new Set(), found);
  return found;
}

function collect(expr: HclExpr, bound: ReadonlySet<string>, found: Traversal[]): void {
  const visit = (inner: HclExpr, names = bound): void => collect(inner, names, found);
  switch (expr.kind) {
    case 'variable':
      if (!bound.has(expr.name)) found.push({ root: expr.name, steps: [], span: expr.span });
      return;
    case 'getAttr':
    case 'index': {
      const steps: string[] = [];
      let node: HclExpr = expr;
      // Static steps (.name, [literal]) extend the traversal; the first dynamic one ends it.
      for (;;) {
        if (node.kind === 'getAttr') steps.unshift(node.name);
        else if (node.kind === 'index' && node.key.kind === 'literal' && node.key.value !== null) steps.unshift(String(node.key.value));
        else break;
        node = node.target;
      }
      if (node.kind === 'variable') {
        if (!bound.has(node.name)) found.push({ root: node.name, steps, span: expr.span });
      } else if (node.kind === 'index') {
        visit(node.target);
        visit(node.key);
      } else visit(node);
      return;
    }
    case 'template':
      return visitParts(expr.parts, bound, found);
    case 'tuple':
      return expr.items.forEach((item) => visit(item));
    case 'object':
      for (const item of expr.items) {
        visit(item.key);
        visit(item.value);
      }
      return;
    case 'splat':
      visit(expr.target);
      return visit(expr.each);
    case 'call':
      return expr.args.forEach((arg) => visit(arg));
    case 'for': {
      visit(expr.collection);
      const inner = withNames(bound, expr.keyVar, expr.valueVar);
      for (const part of [expr.key, expr.value, expr.condition]) if (part !== undefined) visit(part, inner);
      return;
    }
    case 'conditional':
      visit(expr.condition);
      visit(expr.then);
      return visit(expr.else);
    case 'unary':
      return visit(expr.operand);
    case 'binary':
      visit(expr.left);
      return visit(expr.right);
    case 'literal':
    case 'splatItem':
      return;
  }
}

function visitParts(parts: TemplatePart[], bound: ReadonlySet<string>, found: Traversal[]): void {
  for (const part of parts) {
    if (part.kind === 'interpolation') collect(part.expr, bound, found);
    else if (part.kind === 'if') {
      collect(part.condition, bound, found);
      visitParts(part.then, bound, found);
      visitParts(part.else, bound, found);
    } else if (part.kind === 'for') {
      collect(part.collection, bound, found);
      visitParts(part.body, withNames(bound, part.keyVar, part.valueVar), found);
    }
  }
}

function withNames(bound: ReadonlySet<string>, keyVar: string | undefined, valueVar: string): Set<string> {
  const names = new Set(bound);
  names.add(valueVar);
  if (keyVar !== undefined) names.add(keyVar);
  return names;
}
