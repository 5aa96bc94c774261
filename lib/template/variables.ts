// Template variables: declarations, values from --var and --var-file, precedence
// (--var > later var file > earlier var file > default) and masking of sensitive ones.
import type { Issue } from '../errors.js';
import type { Template } from './types.js';
import { didYouMean } from '../util/did-you-mean.js';
import { own } from '../util/own.js';
import type { Finding } from './finding.js';
import type { ParsedSource } from './parse-source.js';
import { locate } from './positions.js';

export interface VariableDeclaration {
  default?: string;
  sensitive: boolean;
}

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Declarations from the `variables:` data; malformed entries are the schema's to report. */
export function declarationsFrom(variables: unknown): Map<string, VariableDeclaration> {
  const declared = new Map<string, VariableDeclaration>();
  if (!isRecord(variables)) return declared;
  for (const [name, spec] of Object.entries(variables)) {
    if (isRecord(spec)) {
      const value = spec.default;
      declared.set(name, {
        ...(isScalar(value) ? { default: String(value) } : {}),
        sensitive: spec.sensitive === true,
      });
    } else {
      // A plain scalar is the default; an empty value declares a variable that must be given.
      declared.set(name, isScalar(spec) ? { default: String(spec), sensitive: false } : { sensitive: false });
    }
  }
  return declared;
}

export interface VarFileValues {
  /** The file name used in messages. */
  file: string;
  values: Record<string, string>;
}

/** Reads a var file: a mapping of variable name -> scalar. Issues carry the var file's name. */
export function readVarFile(
  source: ParsedSource,
  declared: Map<string, VariableDeclaration>,
): { values: VarFileValues; issues: Issue[] } {
  // A Map, so that a variable named like an Object.prototype member is just a name.
  const values = new Map<string, string>();
  const findings: Finding[] = [];
  const data = source.data ?? {};
  if (!isRecord(data)) {
    findings.push({ path: [], message: 'a var file must be a mapping of variable names to values, like `password: secret`' });
  } else {
    for (const [name, value] of Object.entries(data)) {
      if (!declared.has(name)) {
        findings.push({ path: [name], at: 'key', message: undeclared(`variable "${name}"`, name, declared) });
      } else if (!isScalar(value)) {
        findings.push({ path: [name], message: `variable "${name}" must be a string, number or boolean (write "" for an empty value)` });
      } else {
        values.set(name, String(value));
      }
    }
  }
  return { values: { file: source.file, values: Object.fromEntries(values) }, issues: findings.map((f) => locate(source, f, source.file)) };
}

export interface ResolvedVariables {
  values: Record<string, string>;
  /** Names of the sensitive variables. */
  sensitive: string[];
  /** Problems with --var values (not in any file). */
  issues: Issue[];
}

/** Applies precedence: --var over var files (later files win) over defaults. */
export function resolveVariables(
  declared: Map<string, VariableDeclaration>,
  cliVars: Record<string, string>,
  varFiles: VarFileValues[],
): ResolvedVariables {
  // A Map: `values.constructor` or `values.__proto__` must not be Object.prototype's.
  const values = new Map<string, string>();
  for (const [name, declaration] of declared) if (declaration.default !== undefined) values.set(name, declaration.default);
  for (const { values: fromFile } of varFiles) for (const [name, value] of Object.entries(fromFile)) values.set(name, value);
  const issues: Issue[] = [];
  for (const [name, value] of Object.entries(cliVars)) {
    if (declared.has(name)) values.set(name, value);
    else issues.push({ path: 'variables', message: undeclared(`--var ${name}`, name, declared) });
  }
  const sensitive = [...declared].filter(([, d]) => d.sensitive).map(([name]) => name);
  // Object.fromEntries defines own properties, "__proto__" included; look them up with own().
  return { values: Object.fromEntries(values), sensitive, issues };
}

function undeclared(what: string, name: string, declared: Map<string, VariableDeclaration>): string {
  const suggestion = didYouMean(name, declared.keys());
  if (suggestion) return `${what} is not declared in the template${suggestion}`;
  return `${what} is not declared in the template: declare it under variables: or fix the name`;
}

/** The values of the sensitive variables `names`, to mask in logs and output (empty ones skipped). */
export function sensitiveValues(values: Record<string, string>, names: readonly string[]): string[] {
  return names.map((name) => own(values, name)).filter((v): v is string => v !== undefined && v !== '');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
