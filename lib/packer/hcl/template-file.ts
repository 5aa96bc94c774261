// templatefile(path, vars): a file read as a bare HCL template (no quotes, no backslash
// escapes, like a heredoc's content) and evaluated with vars as its only names. The
// grammar has no rule for a bare template, so the file is parsed as the content of a
// heredoc whose marker it does not contain; positions are shifted back to the file's own.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Span, TemplatePart } from './ast.js';
import { ConvertState, convertExpression, meaningful } from './convert-expression.js';
import { convertTemplate } from './convert-template.js';
import type { Evaluation } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';
import { syntaxIssues } from './parse.js';
import { SourceText } from './source-text.js';
import { evaluateTemplate } from './template-evaluate.js';
import { isHclParserLoaded, parseTree } from './tree-sitter.js';
import { asString, describeValue, isObject } from './values.js';

// Templates are parsed once per content; a build renders the same few many times.
const parsed = new Map<string, TemplatePart[]>();
const MAX_CACHED = 64;

export function renderTemplateFile(path: HclValue, vars: HclValue, evaluation: Evaluation, span: Span): HclValue {
  if (typeof path !== 'string') throw new HclError(`templatefile: the path must be a string, got ${describeValue(path)}`, span);
  if (!isObject(vars)) throw new HclError(`templatefile: the variables must be an object, got ${describeValue(vars)}`, span);
  const file = resolve(evaluation.context.functionContext.cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HclError(`templatefile: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, span);
  }
  const parts = parseBareTemplate(text, file);
  const scope: Evaluation = {
    context: { ...evaluation.context, resolve: (root) => (Object.hasOwn(vars, root) ? vars[root] : undefined), knownRoots: Object.keys(vars) },
    inTemplateFile: true,
  };
  const result = evaluateTemplate(parts, scope);
  const rendered = asString(result);
  if (rendered === undefined) throw new HclError(`templatefile: the template yields ${describeValue(result)}, not a string`, span);
  return rendered;
}

/** A template file's parts; a syntax error is an HclError at the file's own line:col. */
export function parseBareTemplate(text: string, file: string): TemplatePart[] {
  const cacheKey = `${file}\0${text}`;
  const cached = parsed.get(cacheKey);
  if (cached !== undefined) return cached;
  if (!isHclParserLoaded()) throw new HclError('templatefile: the HCL grammar is not loaded yet', { file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  let marker = 'KILN_TEMPLATE_END';
  while (text.includes(marker)) marker += '_';
  const opening = `t = <<${marker}\n`;
  const source = new SourceText(`${opening}${text}\n${marker}\n`, file, 1);
  const tree = parseTree(source.text);
  try {
    const [first, ...more] = syntaxIssues(tree.rootNode, source, opening.length);
    if (first !== undefined) {
      const others = more.length === 0 ? '' : ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})`;
      const at = { file, line: first.line ?? 1, column: first.column ?? 1, endLine: first.line ?? 1, endColumn: first.column ?? 1 };
      throw new HclError(`templatefile: syntax error in the template: ${first.message}${others}`, at);
    }
    const attribute = tree.rootNode.namedChildren[0]?.namedChildren[0];
    const expression = attribute?.namedChildren.find((child) => child?.type === 'expression');
    const heredoc = expression === undefined || expression === null ? undefined : meaningful(expression)[0]?.firstChild;
    if (heredoc === undefined || heredoc === null || heredoc.type !== 'heredoc_template') {
      throw new HclError('templatefile: the template could not be read as a template', { file, line: 1, column: 1, endLine: 1, endColumn: 1 });
    }
    const state = new ConvertState(source);
    const template = convertTemplate(heredoc, state, (node) => convertExpression(node, state), true);
    const parts = template.kind === 'template' ? template.parts : [];
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(cacheKey, parts);
    return parts;
  } finally {
    tree.delete();
  }
}
