// Where a JSON template's user variables get their values, before evaluation: the
// template's `variables` (a string default, or null for a variable that must be set),
// then each -var-file (a JSON object of strings), then each -var. As in Packer, a var
// file or -var may also set a variable the template does not declare.
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { Issue } from '../../errors.js';
import { parseSource, type ParsedSource } from '../../template/parse-source.js';
import { readText } from '../../template/read-text.js';
import type { SourcePos } from '../model.js';
import { entriesOf, issueAt, joinPath, posAt, startOf, typeName } from './json-source.js';

/** Where a value was written, to place problems found while evaluating it. */
export type ValueOrigin = { kind: 'file'; source: ParsedSource; node: Scalar; path: string } | { kind: 'cli' };

export interface VariableInput {
  name: string;
  /** The value before evaluation; undefined for a variable that is required and not set. */
  raw?: string;
  origin?: ValueOrigin;
  /** Declared in the template's `variables` with a null default. */
  required: boolean;
  /** Where the variable was declared, or first set. */
  pos: SourcePos;
}

export async function collectVariableInputs(
  source: ParsedSource,
  variables: Node | null | undefined,
  varFiles: readonly string[],
  cliVars: readonly [string, string][],
  issues: Issue[],
): Promise<Map<string, VariableInput>> {
  const inputs = new Map<string, VariableInput>();
  if (variables !== undefined && variables !== null && !isMap(variables)) {
    issues.push(issueAt(source, startOf(variables), 'variables', `"variables" must be an object of names to default values, got ${typeName(variables.toJSON())}`));
  }
  for (const entry of entriesOf(variables)) {
    const path = joinPath('variables', entry.key);
    const pos = posAt(source, startOf(entry.keyNode));
    const value = isScalar(entry.value) ? entry.value.value : entry.value?.toJSON();
    if (value === null || value === undefined) {
      inputs.set(entry.key, { name: entry.key, required: true, pos });
    } else if (isScalar(entry.value) && ['string', 'number', 'boolean'].includes(typeof value)) {
      inputs.set(entry.key, { name: entry.key, raw: weakString(value as string | number | boolean), origin: { kind: 'file', source, node: entry.value, path }, required: false, pos });
    } else {
      issues.push(issueAt(source, startOf(entry.value), path, `variable "${entry.key}": a default must be a string (or null for a variable that must be set), got ${typeName(value)}`));
    }
  }
  for (const file of varFiles) {
    const varSource = parseSource(await readText(file, 'var file'), file);
    const root = varSource.doc.contents as Node | null;
    if (!isMap(root)) {
      issues.push(issueAt(varSource, startOf(root), '', 'a var file must be a JSON object of variable names to string values, like { "cpus": "2" }'));
      continue;
    }
    for (const entry of entriesOf(root)) {
      // Go decodes null into a string as "", so null sets a variable to the empty string.
      if (isScalar(entry.value) && entry.value.value === null) {
        set(inputs, entry.key, '', undefined, posAt(varSource, startOf(entry.keyNode)));
        continue;
      }
      if (!isScalar(entry.value) || typeof entry.value.value !== 'string') {
        const shown = entry.value === null ? null : entry.value.toJSON();
        issues.push(issueAt(varSource, startOf(entry.value ?? entry.keyNode), entry.key, `variable "${entry.key}" must be a string in a var file (Packer reads them as strings), got ${typeName(shown)}: quote it`));
        continue;
      }
      const origin: ValueOrigin = { kind: 'file', source: varSource, node: entry.value, path: entry.key };
      set(inputs, entry.key, entry.value.value, origin, posAt(varSource, startOf(entry.keyNode)));
    }
  }
  for (const [name, value] of cliVars) set(inputs, name, value, { kind: 'cli' }, { file: '-var', line: 1, column: 1 });
  return inputs;
}

function set(inputs: Map<string, VariableInput>, name: string, raw: string, origin: ValueOrigin | undefined, pos: SourcePos): void {
  const known = inputs.get(name);
  if (known) Object.assign(known, { raw, origin });
  else inputs.set(name, { name, raw, origin, required: false, pos });
}

/**
 * A default as Packer reads it: weakly, into a string. Booleans become "1" and "0", as
 * Go's mapstructure writes them, so a template behaves as it does under Packer.
 */
function weakString(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return value;
}
