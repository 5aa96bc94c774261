// A JSON value of a builder, provisioner or post-processor, evaluated: every string in
// it (at any depth) goes through the template engine; numbers, booleans and null stay.
// Problems and notes are collected with the position of the character at fault.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Issue } from '../../errors.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { ParsedSource } from '../../template/parse-source.js';
import type { PackerNote, PackerValue, Setting, SourcePos } from '../model.js';
import { entriesOf, issueAt, joinPath, offsetInString, posAt, startOf, type Entry } from './json-source.js';
import type { TemplateScope } from './template-functions.js';
import { renderTemplate } from './template-evaluator.js';

export interface RenderContext {
  source: ParsedSource;
  scope: TemplateScope;
  /** Names of the variables, for "did you mean" when a string reads another. */
  defined: ReadonlySet<string>;
  issues: Issue[];
  notes: PackerNote[];
  /** Notes already given (see addNote). */
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
    const rendered = renderTemplate(value, context.scope);
    const where = (offset: number) => offsetInString(context.source, node, offset);
    for (const problem of rendered.problems) context.issues.push(issueAt(context.source, where(problem.offset), path, problem.message));
    for (const read of rendered.undefinedReads) addNote(context, undefinedVariableNote(read.name, context.defined, posAt(context.source, where(read.offset))));
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
 * Packer reads a variable that nothing defines as an empty string; kiln does the same,
 * and says so, since it is most often a typo.
 */
export function undefinedVariableNote(name: string, defined: Iterable<string>, pos: SourcePos): PackerNote {
  return {
    pos,
    message: `variable "${name}" is not defined, so {{user \`${name}\`}} is empty (as in Packer)${didYouMean(name, defined)} (declare it in "variables", or set it with -var or -var-file)`,
  };
}

/** Notes each place once: a string is evaluated once per builder. */
export function addNote(context: Pick<RenderContext, 'notes' | 'noted'>, note: PackerNote): void {
  const key = `${note.pos.file}:${note.pos.line}:${note.pos.column}:${note.message}`;
  if (context.noted.has(key)) return;
  context.noted.add(key);
  context.notes.push(note);
}
