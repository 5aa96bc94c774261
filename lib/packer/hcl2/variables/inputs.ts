// Where variable values come from, lowest precedence first, as Packer orders them:
// PKR_VAR_name environment variables, *.auto.pkrvars.hcl files in the template folder
// (name order), -var-file files (in the order given), then -var name=value.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../../errors.js';
import type { PackerInputs } from '../../model.js';
import { parseHcl, type HclBody, type HclValue, type Span } from '../hcl.js';
import { attempt, type Problems } from '../problems.js';
import type { Scope } from '../scope.js';
import { blockTitle } from '../top-level.js';
import { constantValue } from './declarations.js';

export type InputKind = 'env' | 'file' | 'cli';

/** One value given for a variable. */
export interface VariableInput {
  name: string;
  kind: InputKind;
  /** What set it, for messages: "PKR_VAR_size", "-var", "os_pkrvars/debian.pkrvars.hcl". */
  origin: string;
  /** A value given as text (environment, -var): read according to the variable's type. */
  text?: string;
  /** A value already parsed (var files). */
  value?: HclValue;
  /** Where a var file sets it. */
  span?: Span;
}

const ENV_PREFIX = 'PKR_VAR_';
const AUTO_SUFFIXES = ['.auto.pkrvars.hcl', '.auto.pkrvars.json'];

export interface CollectedInputs {
  inputs: VariableInput[];
  /** The var files read (for PackerBuild.files). */
  files: string[];
}

export async function collectInputs(inputs: PackerInputs, env: Readonly<Record<string, string | undefined>>, autoDir: string | undefined, scope: Scope, problems: Problems): Promise<CollectedInputs> {
  const collected: VariableInput[] = [];
  for (const [key, text] of Object.entries(env)) {
    if (key.startsWith(ENV_PREFIX) && key.length > ENV_PREFIX.length && text !== undefined) {
      collected.push({ name: key.slice(ENV_PREFIX.length), kind: 'env', origin: key, text });
    }
  }
  const autoFiles = autoDir === undefined ? [] : (await readdir(autoDir)).filter((name) => AUTO_SUFFIXES.some((suffix) => name.endsWith(suffix))).sort().map((name) => path.join(autoDir, name));
  const files = [...autoFiles, ...inputs.varFiles.map((file) => path.resolve(file))];
  for (const file of files) collected.push(...(await readVarFile(file, scope, problems)));
  for (const [name, text] of inputs.vars) collected.push({ name, kind: 'cli', origin: '-var', text });
  return { inputs: collected, files };
}

async function readVarFile(file: string, scope: Scope, problems: Problems): Promise<VariableInput[]> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new KilnError('E_USAGE', `${file}: cannot read the variable file: ${(cause as Error).message}`, { cause, hint: 'Check the -var-file path; relative paths are taken from the current directory.' });
  });
  const origin = path.basename(file);
  if (file.endsWith('.json')) return readJsonVarFile(file, text, origin, problems);
  let parsed: HclBody;
  try {
    parsed = await parseHcl(text, file);
  } catch (error) {
    problems.addError(error);
    return [];
  }
  for (const block of parsed.blocks) problems.add(block.span, `${blockTitle(block)}: a variable file holds only "name = value" lines, not blocks`);
  const found: VariableInput[] = [];
  for (const attribute of parsed.attributes) {
    const value = attempt(problems, () => constantValue(attribute.expr, scope, `the value of "${attribute.name}" in a variable file`));
    if (value !== undefined) found.push({ name: attribute.name, kind: 'file', origin, value, span: attribute.nameSpan });
  }
  return found;
}

function readJsonVarFile(file: string, text: string, origin: string, problems: Problems): VariableInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    problems.add({ file, line: 1, column: 1 }, `${origin}: not valid JSON: ${(error as Error).message}`);
    return [];
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.add({ file, line: 1, column: 1 }, `${origin}: a JSON variable file must be an object of "name": value pairs`);
    return [];
  }
  return Object.entries(data as Record<string, HclValue>).map(([name, value]) => ({ name, kind: 'file' as const, origin, value, span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } }));
}
