// tree-sitter's expression nodes into HclExpr. The grammar inlines a term and the
// traversal steps after it (`a.b[0][*].c`) as sibling nodes, so a term is read from a list
// of children: a primary (or a parenthesised expression), then its postfix steps.
import type { Node } from 'web-tree-sitter';
import type { BinaryOperator, HclExpr, ObjectItem, Span } from './ast.js';
import { convertTemplate } from './convert-template.js';
import { HclError } from './hcl-error.js';
import type { SourceText } from './source-text.js';

/** Deeper nesting than any real template; bounds the converter's and evaluator's recursion. */
export const MAX_NESTING = 200;

export class ConvertState {
  depth = 0;
  constructor(readonly source: SourceText) {}
}

const BINARY_OPERATORS = new Set<string>(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);

export function convertExpression(node: Node, state: ConvertState): HclExpr {
  // The `expression` wrapper is not a level of its own: `[[1]]` nests two deep.
  const level = node.type === 'expression' ? 0 : 1;
  state.depth += level;
  try {
    if (state.depth > MAX_NESTING) throw new HclError(`expressions nest deeper than ${MAX_NESTING} levels`, state.source.spanOf(node));
    return convertNode(node, state);
  } finally {
    state.depth -= level;
  }
}

function convertNode(node: Node, state: ConvertState): HclExpr {
  const span = state.source.spanOf(node);
  const children = meaningful(node);
  switch (node.type) {
    case 'expression':
      if (children.length === 1 && children[0]!.type === 'conditional') return convertNode(children[0]!, state);
      return convertTerm(children, state, span);
    case 'conditional':
      return convertConditional(node, state);
    case 'operation':
      return convertNode(children[0]!, state);
    case 'unary_operation':
      return { kind: 'unary', operator: children[0]!.type as '-' | '!', operand: convertTerm(children.slice(1), state, span), span };
    case 'binary_operation': {
      const at = children.findIndex((child) => !child.isNamed && BINARY_OPERATORS.has(child.type));
      const left = convertTerm(children.slice(0, at), state, state.source.span(node.startIndex, children[at]!.startIndex));
      const right = convertTerm(children.slice(at + 1), state, state.source.span(children[at + 1]!.startIndex, node.endIndex));
      return { kind: 'binary', operator: children[at]!.type as BinaryOperator, left, right, span };
    }
    case 'literal_value':
      return convertLiteral(children[0]!, state, span);
    case 'template_expr':
      return convertTemplate(children[0]!, state, (inner) => convertExpression(inner, state));
    case 'collection_value':
      return convertNode(children[0]!, state);
    case 'tuple':
      return { kind: 'tuple', items: children.filter((child) => child.type === 'expression').map((child) => convertExpression(child, state)), span };
    case 'object':
      return { kind: 'object', items: children.filter((child) => child.type === 'object_elem').map((child) => convertObjectItem(child, state)), span };
    case 'variable_expr':
      return { kind: 'variable', name: node.text, span };
    case 'function_call':
      return convertCall(children, state, span);
    case 'for_expr':
      return convertNode(children[0]!, state);
    case 'for_tuple_expr':
    case 'for_object_expr':
      return convertFor(node, children, state, span);
    default:
      throw new HclError(`unsupported syntax "${node.type}"`, span);
  }
}

/** Named children and operator tokens, without comments. */
export function meaningful(node: Node): Node[] {
  return node.children.filter((child): child is Node => child !== null && child.type !== 'comment');
}

function convertTerm(children: Node[], state: ConvertState, span: Span): HclExpr {
  const first = children[0];
  if (first === undefined) throw new HclError('an expression is missing', span);
  let expr: HclExpr;
  let rest: Node[];
  if (first.type === '(') {
    expr = convertExpression(children[1]!, state);
    rest = children.slice(3);
  } else {
    expr = convertExpression(first, state);
    rest = children.slice(1);
  }
  const start = first.startIndex;
  // Each step is one more level for the evaluator's recursion.
  state.depth += rest.length;
  try {
    if (state.depth > MAX_NESTING) throw new HclError(`expressions nest deeper than ${MAX_NESTING} levels`, span);
    for (const step of rest) expr = applyStep(expr, step, state, state.source.span(start, step.endIndex));
    return expr;
  } finally {
    state.depth -= rest.length;
  }
}

/** One traversal step (get_attr, index, splat) applied to `target`. */
function applyStep(target: HclExpr, step: Node, state: ConvertState, span: Span): HclExpr {
  const children = meaningful(step);
  switch (step.type) {
    case 'get_attr':
      return { kind: 'getAttr', target, name: children[1]!.text, span };
    case 'index':
      return applyStep(target, children[0]!, state, span);
    case 'new_index':
      return { kind: 'index', target, key: convertExpression(children[1]!, state), span };
    case 'legacy_index':
      // `.0`: the digits are an anonymous token, not a child node.
      return { kind: 'index', target, key: { kind: 'literal', value: Number(step.text.slice(1)), span: state.source.spanOf(step) }, span };
    case 'splat':
      return applyStep(target, children[0]!, state, span);
    case 'attr_splat':
    case 'full_splat': {
      if (state.depth + children.length > MAX_NESTING) throw new HclError(`expressions nest deeper than ${MAX_NESTING} levels`, span);
      // `.*` takes only the attribute steps after it; an index ends it and applies to the list it made.
      const firstIndex = step.type === 'attr_splat' ? children.findIndex((child) => child.type === 'index') : -1;
      const inside = firstIndex < 0 ? children.slice(1) : children.slice(1, firstIndex);
      let each: HclExpr = { kind: 'splatItem', span: state.source.spanOf(children[0]!) };
      for (const inner of inside) each = applyStep(each, inner, state, state.source.span(step.startIndex, inner.endIndex));
      let result: HclExpr = { kind: 'splat', target, each, span };
      for (const after of firstIndex < 0 ? [] : children.slice(firstIndex)) {
        const end = state.source.spanOf(after);
        result = applyStep(result, after, state, { ...span, endLine: end.endLine, endColumn: end.endColumn });
      }
      return result;
    }
    default:
      throw new HclError(`unsupported syntax "${step.type}"`, span);
  }
}

function convertLiteral(node: Node, state: ConvertState, span: Span): HclExpr {
  switch (node.type) {
    case 'numeric_lit': {
      const value = Number(node.text);
      if (!Number.isFinite(value)) throw new HclError(`${node.text} is not a number HCL can hold`, span);
      return { kind: 'literal', value, span };
    }
    case 'bool_lit':
      return { kind: 'literal', value: node.text === 'true', span };
    case 'null_lit':
      return { kind: 'literal', value: null, span };
    default: {
      const open = node.firstChild!;
      const close = node.lastChild!;
      const inner = state.source.span(open.endIndex, close.startIndex);
      return { kind: 'literal', value: unescapeQuoted(state.source.slice(open.endIndex, close.startIndex), inner), span };
    }
  }
}

function convertObjectItem(node: Node, state: ConvertState): ObjectItem {
  const [keyNode, valueNode] = meaningful(node).filter((child) => child.type === 'expression');
  const keyParts = meaningful(keyNode!);
  // A bare name as a key is the name itself; `(name)` evaluates it.
  const key: HclExpr =
    keyParts.length === 1 && keyParts[0]!.type === 'variable_expr'
      ? { kind: 'literal', value: keyParts[0]!.text, span: state.source.spanOf(keyNode!) }
      : convertExpression(keyNode!, state);
  return { key, value: convertExpression(valueNode!, state) };
}

function convertCall(children: Node[], state: ConvertState, span: Span): HclExpr {
  const argumentsNode = children.find((child) => child.type === 'function_arguments');
  const argumentNodes = argumentsNode === undefined ? [] : meaningful(argumentsNode);
  const args = argumentNodes.filter((child) => child.type === 'expression').map((child) => convertExpression(child, state));
  const expandFinal = argumentNodes.some((child) => child.type === 'ellipsis');
  return { kind: 'call', name: children[0]!.text, args, expandFinal, span };
}

function convertFor(node: Node, children: Node[], state: ConvertState, span: Span): HclExpr {
  const intro = children.find((child) => child.type === 'for_intro')!;
  const names = meaningful(intro).filter((child) => child.type === 'identifier').map((child) => child.text);
  const collection = convertExpression(meaningful(intro).find((child) => child.type === 'expression')!, state);
  const bodies = children.filter((child) => child.type === 'expression').map((child) => convertExpression(child, state));
  const conditionNode = children.find((child) => child.type === 'for_cond');
  const condition = conditionNode === undefined ? undefined : convertExpression(meaningful(conditionNode).find((child) => child.type === 'expression')!, state);
  const [keyVar, valueVar] = names.length === 2 ? [names[0], names[1]!] : [undefined, names[0]!];
  const isObject = node.type === 'for_object_expr';
  return {
    kind: 'for',
    ...(keyVar === undefined ? {} : { keyVar }),
    valueVar,
    collection,
    ...(isObject ? { key: bodies[0]! } : {}),
    value: isObject ? bodies[1]! : bodies[0]!,
    ...(condition === undefined ? {} : { condition }),
    grouping: children.some((child) => child.type === 'ellipsis'),
    span,
  };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A quoted string's text with its escapes applied: \n \r \t \" \\ \uNNNN \UNNNNNNNN, $${ and %%{. */
export function unescapeQuoted(raw: string, span: Span): string {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.?)|\$\$\{|%%\{/gsu, (match, escape: string | undefined) => {
    if (escape === undefined) return match.slice(1);
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) return simple;
    if (escape.length > 1) {
      const code = Number.parseInt(escape.slice(1), 16);
      if (code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
    }
    throw new HclError(`invalid escape sequence "${match}" in a string; write "\\\\" for a backslash`, span);
  });
}

/** Heredoc text: no backslash escapes, only $${ and %%{. */
export function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{|%%\{/g, (match) => match.slice(1));
}

/**
 * The grammar reads `c1 ? t1 : c2 ? t2 : e` as `(c1 ? t1 : c2) ? t2 : e`; HCL's conditional
 * is right-associative. An unparenthesised conditional as the condition is that case
 * (written parentheses add an expression node around it), so the chain is unwound and
 * rebuilt as `c1 ? t1 : (c2 ? t2 : e)`.
 */
function convertConditional(node: Node, state: ConvertState): HclExpr {
  const levels: { then: Node; else: Node }[] = [];
  let current: Node | undefined = node;
  let first: Node | undefined;
  while (current) {
    const [condition, then, otherwise] = current.namedChildren.filter((child): child is Node => child !== null && child.type === 'expression');
    levels.unshift({ then: then!, else: otherwise! });
    first = condition!;
    current = unparenthesisedConditional(condition!);
  }
  let result = convertExpression(levels.at(-1)!.else, state);
  for (let i = levels.length - 1; i >= 0; i--) {
    const condition = i === 0 ? first! : levels[i - 1]!.else;
    const span = state.source.span(condition.startIndex, node.endIndex);
    result = { kind: 'conditional', condition: convertExpression(condition, state), then: convertExpression(levels[i]!.then, state), else: result, span };
  }
  return result;
}

/** The conditional node when `expression` is exactly an unparenthesised conditional. */
function unparenthesisedConditional(expression: Node): Node | undefined {
  const only = expression.namedChildren.length === 1 ? expression.namedChildren[0] : undefined;
  return only?.type === 'conditional' ? only : undefined;
}
