// Gives every declared variable its value: the last input that names it wins over the
// default; the value is converted to the declared type, checked for null and run
// through the variable's validation blocks. Sensitive values are collected for masking.
import { didYouMean } from '../../../util/did-you-mean.js';
import type { PackerNote } from '../../model.js';
import { convertToType, describeType, HclError, parseHcl, TypeConversionError, type TypeConstraint, type HclValue } from '../hcl.js';
import { spanPos, type Problems } from '../problems.js';
import { evaluateIn, type Scope } from '../scope.js';
import { constantValue, type VariableDeclaration } from './declarations.js';
import type { VariableInput } from './inputs.js';

export interface AssignedVariables {
  values: Record<string, HclValue>;
  /** "var.x" of every variable that has no usable value (already reported). */
  failed: Set<string>;
  /** Every string inside a sensitive variable's value. */
  sensitive: string[];
}

export async function assignVariables(declarations: readonly VariableDeclaration[], inputs: readonly VariableInput[], scope: Scope, problems: Problems, notes: PackerNote[]): Promise<AssignedVariables> {
  const assigned: AssignedVariables = { values: Object.create(null) as Record<string, HclValue>, failed: new Set(), sensitive: [] };
  const byName = new Map(declarations.map((d) => [d.name, d]));
  checkUndeclared(inputs, byName, problems, notes);
  for (const declaration of declarations) {
    const input = inputs.findLast((i) => i.name === declaration.name);
    // A sensitive value is masked even in the messages about it being wrong.
    if (declaration.sensitive && input?.text !== undefined) assigned.sensitive.push(input.text);
    const value = await valueOf(declaration, input, scope, problems);
    if (value !== undefined && declaration.sensitive) assigned.sensitive.push(...stringsIn(value));
    if (value === undefined || !validates(declaration, value, scope, problems)) {
      assigned.failed.add(`var.${declaration.name}`);
      continue;
    }
    assigned.values[declaration.name] = value;
  }
  return assigned;
}

/** Packer warns about a var file value for an undeclared variable and refuses one given with -var. */
function checkUndeclared(inputs: readonly VariableInput[], declared: ReadonlyMap<string, VariableDeclaration>, problems: Problems, notes: PackerNote[]): void {
  const names = [...declared.keys()];
  for (const input of inputs) {
    if (declared.has(input.name)) continue;
    const suggestion = didYouMean(input.name, names);
    if (input.kind === 'cli') {
      problems.add(undefined, `-var ${input.name}: there is no variable "${input.name}" in the template${suggestion || `: declare it with variable "${input.name}" { }`}`, `var.${input.name}`);
    } else if (input.kind === 'file' && input.span !== undefined) {
      notes.push({ pos: spanPos(input.span), message: `${input.origin} sets "${input.name}", which the template does not declare; the value is ignored${suggestion}` });
    }
  }
}

async function valueOf(declaration: VariableDeclaration, input: VariableInput | undefined, scope: Scope, problems: Problems): Promise<HclValue | undefined> {
  const { name } = declaration;
  const type = declaration.type ?? inferredType(declaration.default);
  if (input === undefined && !declaration.hasDefault) {
    problems.add(declaration.span, `variable "${name}" has no value: give it one with -var '${name}=...', in a -var-file, or with the environment variable PKR_VAR_${name}`, `var.${name}`);
    return undefined;
  }
  let value = input === undefined ? (declaration.default ?? null) : await inputValue(input, type, scope, problems);
  if (value === undefined) return undefined;
  if (value === null && !declaration.nullable) {
    if (declaration.hasDefault && declaration.default !== null) return declaration.default;
    problems.add(input?.span ?? declaration.span, `variable "${name}" is null, but it is declared with nullable = false`, `var.${name}`);
    return undefined;
  }
  if (type === undefined || value === null || input === undefined) return value;
  try {
    value = convertToType(value, type);
  } catch (error) {
    if (!(error instanceof TypeConversionError)) throw error;
    problems.add(input.span, `${input.origin}: variable "${name}": ${error.message}`, `var.${name}`);
    return undefined;
  }
  return value;
}

/**
 * Packer gives an untyped variable the type of its default, so that `-var cpus=4` is a
 * number when the default is one; a null or missing default leaves it untyped.
 */
function inferredType(value: HclValue | undefined): TypeConstraint | undefined {
  if (typeof value === 'number') return { kind: 'number' };
  if (typeof value === 'boolean') return { kind: 'bool' };
  if (Array.isArray(value)) return { kind: 'list', element: { kind: 'any' } };
  if (value !== null && typeof value === 'object') return { kind: 'map', element: { kind: 'any' } };
  return undefined;
}

/** An input's value: text from the environment or -var is a string for string variables and HCL for the rest. */
async function inputValue(input: VariableInput, type: TypeConstraint | undefined, scope: Scope, problems: Problems): Promise<HclValue | undefined> {
  if (input.text === undefined) return input.value;
  // Untyped and `any` variables take command-line text as a string, as Packer does.
  if (type === undefined || type.kind === 'string' || type.kind === 'any') return input.text;
  try {
    const body = await parseHcl(`value = ${input.text}\n`, input.origin);
    const [attribute] = body.attributes;
    if (attribute === undefined || body.attributes.length > 1 || body.blocks.length > 0) throw new HclError('not a single value', { file: input.origin, line: 1, column: 1, endLine: 1, endColumn: 1 });
    return constantValue(attribute.expr, scope, `${input.origin} ${input.name}`);
  } catch (error) {
    const reason = error instanceof HclError ? `: ${error.message}` : '';
    problems.add(undefined, `${input.origin} ${input.name}: cannot read the value as ${describeType(type)}${reason}`, `var.${input.name}`);
    return undefined;
  }
}

/** Runs the validation blocks; a failed condition is reported at the condition with the author's error_message. */
function validates(declaration: VariableDeclaration, value: HclValue, scope: Scope, problems: Problems): boolean {
  const own: Scope = { ...scope, vars: { [declaration.name]: value } };
  let ok = true;
  for (const validation of declaration.validations) {
    try {
      const passed = evaluateIn(own, validation.condition);
      if (typeof passed !== 'boolean') throw new HclError(`a validation condition must be true or false, got ${JSON.stringify(passed)}`, validation.conditionSpan);
      if (passed) continue;
      const message = evaluateIn(own, validation.errorMessage);
      problems.add(validation.conditionSpan, `variable "${declaration.name}": ${typeof message === 'string' ? message : JSON.stringify(message)}`, `var.${declaration.name}`);
    } catch (error) {
      problems.addError(error, `var.${declaration.name}`);
    }
    ok = false;
  }
  return ok;
}

/** Every string in a value (a sensitive map's values, a list's items). */
export function stringsIn(value: HclValue): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
