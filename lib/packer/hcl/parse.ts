// HCL2 files into kiln's syntax tree (ast.ts). tree-sitter recovers from syntax errors, so
// every ERROR and MISSING node is reported at once, each at its file:line:col.
import type { Node } from 'web-tree-sitter';
import { ValidationError, type Issue } from '../../errors.js';
import type { HclBlock, HclBody } from './ast.js';
import { convertExpression, ConvertState, unescapeQuoted } from './convert-expression.js';
import { HclError } from './hcl-error.js';
import { SourceText } from './source-text.js';
import { loadHclParser, parseTree } from './tree-sitter.js';

const SYNTAX_DOCS = 'https://developer.hashicorp.com/packer/docs/templates/hcl_templates/syntax';
const SYNTAX_HINT = `Fix the HCL syntax at the positions shown; an unclosed bracket, brace or quote is the usual cause (${SYNTAX_DOCS}).`;
const CONSTRUCT_HINT = `Rewrite the construct at the position shown (${SYNTAX_DOCS}).`;
const REDEFINED_HINT = 'Keep one of the two settings; a list value or repeated blocks hold several values.';
// Enough for any real file; more would only repeat what one unclosed bracket caused.
const MAX_SYNTAX_ISSUES = 20;

/** A file that does not parse: every syntax error, each at its position. */
export class HclSyntaxError extends ValidationError {
  override readonly hint: string;

  constructor(issues: Issue[], file: string, hint = SYNTAX_HINT) {
    super(issues, file);
    this.hint = hint;
  }
}

export async function parseHcl(text: string, file: string): Promise<HclBody> {
  await loadHclParser();
  return parseHclLoaded(text, file);
}

/** parseHcl once the grammar is loaded (loadHclParser), for synchronous callers. */
export function parseHclLoaded(text: string, file: string): HclBody {
  // The grammar finds a heredoc's closing marker only before a line end, so a file that
  // ends with one (and no newline) gets its newline; positions are unchanged.
  const source = new SourceText(text.endsWith('\n') ? text : `${text}\n`, file);
  const tree = parseTree(source.text);
  try {
    const root = tree.rootNode;
    const issues = syntaxIssues(root, source);
    if (issues.length > 0) throw new HclSyntaxError(issues, file);
    try {
      const top = root.namedChildren.find((child) => child?.type !== 'comment');
      if (top === undefined || top === null) return { attributes: [], blocks: [] };
      if (top.type !== 'body') throw new HclError('a file must hold attributes and blocks, not a bare object', source.spanOf(top));
      const body = convertBody(top, new ConvertState(source));
      const duplicates = redefinedAttributes(body).sort((a, b) => a.line! - b.line! || a.column! - b.column!);
      if (duplicates.length > 0) throw new HclSyntaxError(duplicates, file, REDEFINED_HINT);
      return body;
    } catch (error) {
      if (error instanceof HclError) throw new HclSyntaxError([error.toIssue()], file, CONSTRUCT_HINT);
      throw error;
    }
  } finally {
    tree.delete();
  }
}

/**
 * Every outermost ERROR and MISSING node, in source order; the walk skips error-free subtrees.
 * `contentStart`: where the user's text starts when a wrapper precedes it (templatefile).
 */
export function syntaxIssues(root: Node, source: SourceText, contentStart = 0): Issue[] {
  const issues: Issue[] = [];
  const stack: Node[] = [root];
  // Where a value is missing (`a = = 1`), the grammar's recovery invents a heredoc that
  // swallows the rest of the file: say that once, and not the closing tokens it then misses.
  let swallowed = false;
  while (stack.length > 0 && issues.length < MAX_SYNTAX_ISSUES) {
    const node = stack.pop()!;
    if (isPhantomHeredoc(node)) {
      issues.push(issueAt(source, node.startIndex, `expected a value here, found ${excerpt(source.slice(node.startIndex, node.endIndex))}`));
      swallowed = true;
    } else if (node.isMissing && swallowed) {
      continue;
    } else if (node.isMissing) {
      // Where the token was expected: right after the text before it, not on a later blank line.
      let at = node.startIndex;
      while (at > contentStart && /\s/.test(source.text[at - 1]!)) at--;
      issues.push(issueAt(source, at, `missing ${describeToken(node.type)}`));
    } else if (node.isError) {
      const start = errorStart(node, contentStart);
      issues.push(issueAt(source, start, `unexpected ${excerpt(source.slice(start, node.endIndex))}`));
    } else if (node.hasError) {
      const children = node.children.filter((child): child is Node => child !== null);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return issues;
}

/** A heredoc whose `<<` the parser had to invent: there was no value where one belongs. */
function isPhantomHeredoc(node: Node): boolean {
  if (node.type !== 'heredoc_template') return false;
  const start = node.children.find((child) => child?.type === 'heredoc_start');
  return start?.hasError === true || start?.isMissing === true || start?.children.some((child) => child?.isMissing) === true;
}

// Parts of a template that parsed whole inside an ERROR that began in the wrapper.
const COMPLETE_TEMPLATE_PARTS = new Set(['template_literal', 'template_interpolation', 'template_directive', 'comment']);

/** An ERROR that starts in a wrapper is reported at its first child in the user's text that did not parse whole. */
function errorStart(node: Node, contentStart: number): number {
  if (node.startIndex >= contentStart) return node.startIndex;
  const culprit = node.children.find((child) => child !== null && child.startIndex >= contentStart && !COMPLETE_TEMPLATE_PARTS.has(child.type));
  return culprit?.startIndex ?? contentStart;
}

function issueAt(source: SourceText, index: number, message: string): Issue {
  const [line, column] = source.position(index);
  return { path: '', file: source.file, line, column, message };
}

function describeToken(type: string): string {
  const names: Record<string, string> = {
    tuple_end: '"]"', object_end: '"}"', block_end: '"}"', quoted_template_end: 'closing quote \'"\'',
    template_interpolation_end: '"}" closing the interpolation', template_directive_end: '"}" closing the directive',
    heredoc_identifier: 'the heredoc\'s closing marker', identifier: 'a value', expression: 'an expression',
  };
  return names[type] ?? (/^[a-z_]+$/.test(type) ? type.replaceAll('_', ' ') : `"${type}"`);
}

function excerpt(text: string): string {
  const firstLine = text.split('\n')[0] ?? '';
  const shown = firstLine.length > 30 ? `${firstLine.slice(0, 30)}...` : firstLine;
  return shown.trim() === '' ? 'end of line' : JSON.stringify(shown);
}

/** An attribute set twice in one body (HCL forbids it), in this body and every block's. */
function redefinedAttributes(body: HclBody): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  for (const { name, nameSpan } of body.attributes) {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, nameSpan.line);
    else issues.push({ path: '', file: nameSpan.file, line: nameSpan.line, column: nameSpan.column, message: `"${name}" is already set on line ${first}; an attribute is set once per block` });
  }
  for (const block of body.blocks) issues.push(...redefinedAttributes(block.body));
  return issues;
}

function convertBody(node: Node, state: ConvertState): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === 'attribute') {
      const [name, expr] = [child.namedChildren[0]!, child.namedChildren.find((n) => n?.type === 'expression')!];
      body.attributes.push({ name: name.text, expr: convertExpression(expr, state), span: state.source.spanOf(child), nameSpan: state.source.spanOf(name) });
    } else if (child.type === 'block') {
      body.blocks.push(convertBlock(child, state));
    }
  }
  return body;
}

function convertBlock(node: Node, state: ConvertState): HclBlock {
  const children = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
  const labels: string[] = [];
  let body: HclBody = { attributes: [], blocks: [] };
  for (const child of children.slice(1)) {
    if (child.type === 'identifier') labels.push(child.text);
    else if (child.type === 'string_lit') labels.push(stringLiteral(child, state));
    else if (child.type === 'body') body = convertBody(child, state);
  }
  return { type: children[0]!.text, labels, body, span: state.source.spanOf(node) };
}

function stringLiteral(node: Node, state: ConvertState): string {
  const first = node.firstChild!;
  const last = node.lastChild!;
  return unescapeQuoted(state.source.slice(first.endIndex, last.startIndex), state.source.span(first.endIndex, last.startIndex));
}
