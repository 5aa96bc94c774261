// A JSON value of a builder, provisioner or post-processor, evaluated: every string in
// it (at any depth) goes through the template engine; numbers, booleans and null stay.
// Problems and notes are collected with the position of the character at fault.
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Issue } from '../../errors.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { ParsedSource } from '../../template/parse-source.js';
import type { PackerNote, PackerValue, Setting } from '../model.js';
import { entriesOf, issueAt, joinPath, offsetInString, posAt, startOf, type Entry } from './json-source.js';
import type { TemplateScope } from './template-functions.js';
import { renderTemplate, userReferences } from './template-evaluator.js';

export interface RenderContext {
  source: ParsedSource;
  scope: TemplateScope;
  /** Names of the variables with a value: a `user` read of any other is empty, and noted. */
  defined: ReadonlySet<string>;
  issues: Issue[];
  notes: PackerNote[];
  /** Notes already given, so that a template read once per builder notes it once. */
  noted: Set<string>;
}

export function renderNode(node: Node | null, path: string, context: RenderContext): PackerValue {
  if (node === null) return null;
  if (isMap(node)) {
    const object: Record<string, PackerValue> = {};
    for (const entry of entriesOf(node)) object[entry.key] = renderNode(entry.value, joinPath(path, entry.key), context);
    return object;
  }
  if (isSeq(node)) return node.items.map((item, i) => renderNode(item as Node, joinPath(path, i), context));
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value !== 'string') return value as PackerValue;
    noteUndefinedReads(value, node, context);
    const rendered = renderTemplate(value, context.scope);
    for (const problem of rendered.problems) {
      context.issues.push(issueAt(context.source, offsetInString(context.source, node, problem.offset), path, problem.message));
    }
    return rendered.text;
  }
  return node.toJSON() as PackerValue;
}

/** Settings from a JSON object's entries, each with its key's position. */
export function renderSettings(entries: Entry[], path: string, context: RenderContext): Record<string, Setting> {
  const settings: Record<string, Setting> = {};
  for (const entry of entries) {
    settings[entry.key] = { value: renderNode(entry.value, joinPath(path, entry.key), context), pos: posAt(context.source, startOf(entry.keyNode)) };
  }
  return settings;
}

/**
 * Packer reads a variable that nothing defines as an empty string outside `variables`;
 * kiln does the same, and says so, since it is most often a typo.
 */
function noteUndefinedReads(text: string, node: Scalar, context: RenderContext): void {
  for (const reference of userReferences(text)) {
    if (context.defined.has(reference.name)) continue;
    const offset = offsetInString(context.source, node, reference.offset);
    const key = `${reference.name}@${offset}`;
    if (context.noted.has(key)) continue;
    context.noted.add(key);
    context.notes.push({
      pos: posAt(context.source, offset),
      message: `variable "${reference.name}" is not defined, so {{user \`${reference.name}\`}} is empty (as in Packer)${didYouMean(reference.name, context.defined)} (declare it in "variables", or set it with -var or -var-file)`,
    });
  }
}
