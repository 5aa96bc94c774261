// kiln's own HCL syntax tree: what parse.ts makes of tree-sitter's concrete tree, so the
// evaluator and the Packer config layer never see tree-sitter. Every node keeps its span.

/** A range in a source file; lines and columns are 1-based, the end is exclusive. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclAttribute {
  name: string;
  expr: HclExpr;
  span: Span;
  nameSpan: Span;
}

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type HclExpr =
  | { kind: 'literal'; value: string | number | boolean | null; span: Span }
  /** A quoted string with interpolations or directives, or a heredoc; escapes and strip markers already applied. */
  | { kind: 'template'; parts: TemplatePart[]; span: Span }
  /** A bare name: the root of a traversal (var, local, a for iterator, ...). */
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'tuple'; items: HclExpr[]; span: Span }
  | { kind: 'object'; items: ObjectItem[]; span: Span }
  | { kind: 'getAttr'; target: HclExpr; name: string; span: Span }
  /** `x[key]`, and the legacy `x.0` with a number literal key. */
  | { kind: 'index'; target: HclExpr; key: HclExpr; span: Span }
  /** `target[*]...` or `target.*...`: `each` is applied to every element, which it reads as `splatItem`. */
  | { kind: 'splat'; target: HclExpr; each: HclExpr; span: Span }
  | { kind: 'splatItem'; span: Span }
  /** `name(args)`; `expandFinal` when the last argument is followed by `...`. */
  | { kind: 'call'; name: string; args: HclExpr[]; expandFinal: boolean; span: Span }
  | ForExpr
  | { kind: 'conditional'; condition: HclExpr; then: HclExpr; else: HclExpr; span: Span }
  | { kind: 'unary'; operator: '-' | '!'; operand: HclExpr; span: Span }
  | { kind: 'binary'; operator: BinaryOperator; left: HclExpr; right: HclExpr; span: Span };

/** `[for k, v in c : v if cond]` (no key) or `{for k, v in c : key => v... if cond}`. */
export interface ForExpr {
  kind: 'for';
  keyVar?: string;
  valueVar: string;
  collection: HclExpr;
  /** Present in the object form only. */
  key?: HclExpr;
  value: HclExpr;
  condition?: HclExpr;
  /** `...` after the value: values sharing a key are gathered into a list. */
  grouping: boolean;
  span: Span;
}

/** An object element; a bare identifier key is already a string literal here. */
export interface ObjectItem {
  key: HclExpr;
  value: HclExpr;
}

export type TemplatePart =
  | { kind: 'text'; text: string; span: Span }
  | { kind: 'interpolation'; expr: HclExpr; span: Span }
  | { kind: 'if'; condition: HclExpr; then: TemplatePart[]; else: TemplatePart[]; span: Span }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: HclExpr; body: TemplatePart[]; span: Span };
