// Evaluating a JSON template's user variables as Packer does: every value (default,
// var file or -var) is itself a template, where env is allowed and `user` reads other
// variables; they are evaluated in dependency order, and a cycle is an error. A variable
// nothing defines reads as "" (Packer's build does the same), with a note. Build-time
// fields in a value (`"http://{{ .HTTPIP }}"`) stay for the build, as in Packer.
import { isScalar, isSeq, type Node } from 'yaml';
import type { Issue } from '../../errors.js';
import { MASK } from '../../log/mask.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { FunctionError } from '../hcl/functions/function-types.js';
import type { PackerTemplate, SourcePos } from '../model.js';
import { issueAt, joinPath, offsetInString, posAt, startOf, typeName } from './json-source.js';
import { addNote, undefinedVariableNote, type RenderContext } from './render-value.js';
import type { TemplateScope } from './template-functions.js';
import { renderTemplate, userReferences } from './template-evaluator.js';
import type { VariableInput } from './variable-inputs.js';

export interface VariableSummary {
  /** Values of the sensitive variables (the empty ones left out): to be masked wherever they go. */
  sensitiveValues: string[];
  list: PackerTemplate['variables'];
}

type BaseScope = Omit<TemplateScope, 'user' | 'env' | 'build'>;

export function resolveVariables(
  inputs: ReadonlyMap<string, VariableInput>,
  env: Readonly<Record<string, string | undefined>>,
  base: BaseScope,
  issues: Issue[],
  notes: Pick<RenderContext, 'notes' | 'noted'>,
): Map<string, string> {
  const values = new Map<string, string>();
  // Variables whose value could not be had (reported already): reading them gives "".
  const failed = new Set<string>();
  for (const input of inputs.values()) {
    if (input.raw === undefined) {
      failed.add(input.name);
      issues.push({
        path: joinPath('variables', input.name),
        message: `variable "${input.name}" is required (its default is null) and was not set: give it with -var ${input.name}=... or in a -var-file`,
        file: input.pos.file,
        line: input.pos.line,
        column: input.pos.column,
      });
    }
  }
  const scope: TemplateScope = {
    ...base,
    env,
    user: (name) => {
      const value = values.get(name);
      if (value !== undefined) return value;
      if (failed.has(name)) return '';
      if (!inputs.has(name)) return undefined;
      // Only a name computed at evaluation time can be read before it has a value.
      throw new FunctionError(`variable "${name}" is read before it has a value: write its name as a literal, {{user \`${name}\`}}, so that kiln evaluates it first`);
    },
  };
  for (const name of dependencyOrder(inputs, failed, issues)) {
    const input = inputs.get(name)!;
    const rendered = renderTemplate(input.raw!, scope);
    for (const problem of rendered.problems) issues.push(placeProblem(input, problem.offset, problem.message));
    for (const read of rendered.undefinedReads) addNote(notes, undefinedVariableNote(read.name, inputs.keys(), placeNote(input, read.offset)));
    if (rendered.problems.length > 0) failed.add(name);
    else values.set(name, rendered.text);
  }
  return values;
}

/** Names in an order where each comes after the variables it reads; cycles are reported and left out. */
function dependencyOrder(inputs: ReadonlyMap<string, VariableInput>, failed: Set<string>, issues: Issue[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const input = inputs.get(name);
    if (!input || input.raw === undefined || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      for (const member of cycle) failed.add(member);
      issues.push(placeProblem(inputs.get(cycle[0]!)!, 0, `variables read each other in a cycle: ${cycle.join(' -> ')}; give one of them a value that does not read the others`));
      return;
    }
    state.set(name, 'visiting');
    for (const reference of userReferences(input.raw)) visit(reference.name, [...trail, name]);
    state.set(name, 'done');
    if (!failed.has(name)) order.push(name);
  };
  for (const name of inputs.keys()) visit(name, []);
  return order;
}

function placeNote(input: VariableInput, offset: number): SourcePos {
  const origin = input.origin;
  if (origin?.kind === 'file') return posAt(origin.source, offsetInString(origin.source, origin.node, offset));
  return input.pos;
}

function placeProblem(input: VariableInput, offset: number, message: string): Issue {
  const origin = input.origin;
  if (origin?.kind === 'file') return issueAt(origin.source, offsetInString(origin.source, origin.node, offset), origin.path, message);
  return { path: `-var ${input.name}`, message: `-var ${input.name}: ${message}` };
}

/** Names from "sensitive-variables", each checked to be a variable. */
export function sensitiveNames(node: Node | null | undefined, inputs: ReadonlyMap<string, VariableInput>, source: Parameters<typeof issueAt>[0], issues: Issue[]): Set<string> {
  const names = new Set<string>();
  if (node === undefined || node === null) return names;
  if (!isSeq(node)) {
    issues.push(issueAt(source, startOf(node), 'sensitive-variables', `"sensitive-variables" must be a list of variable names, got ${typeName(node.toJSON())}`));
    return names;
  }
  node.items.forEach((item, i) => {
    const path = joinPath('sensitive-variables', i);
    if (!isScalar(item) || typeof item.value !== 'string') {
      issues.push(issueAt(source, startOf(item as Node), path, 'each entry of "sensitive-variables" must be a variable name'));
    } else if (!inputs.has(item.value)) {
      issues.push(issueAt(source, startOf(item), path, `"${item.value}" is not a variable${didYouMean(item.value, inputs.keys())} (a misspelt name here would leave a secret unmasked)`));
    } else {
      names.add(item.value);
    }
  });
  return names;
}

/** The variables as `kiln inspect` shows them, sensitive values masked, and the values to mask. */
export function describeVariables(inputs: ReadonlyMap<string, VariableInput>, values: ReadonlyMap<string, string>, sensitive: ReadonlySet<string>): VariableSummary {
  const list: PackerTemplate['variables'] = [];
  const sensitiveValues: string[] = [];
  for (const input of inputs.values()) {
    const value = values.get(input.name) ?? '';
    const isSensitive = sensitive.has(input.name);
    if (isSensitive && value !== '') sensitiveValues.push(value);
    list.push({ name: input.name, value: isSensitive ? MASK : value, sensitive: isSensitive, pos: input.pos });
  }
  return { sensitiveValues, list };
}
