// Runs the JSON schema over the template data (all errors at once) and words each
// error as a finding that names the cause and the fix.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean } from '../util/did-you-mean.js';
import { pathKey, type Finding, type Segment } from './finding.js';
import { templateSchema, type SchemaNode } from './schema.js';
import { loadPrecompiled, validatorFor } from './schema-validator.js';

// Loaded once with this module (a file read, no compiling); used only if its digest matches.
const precompiled = await loadPrecompiled();

// One validator per schema: kiln's own, and one per set of plugin kinds (always compiled).
const validators = new WeakMap<SchemaNode, ValidateFunction>();

function validator(schema: SchemaNode): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = validatorFor(schema, schema === templateSchema ? precompiled : undefined);
    validators.set(schema, validate);
  }
  return validate;
}

export function checkSchema(data: unknown, schema: SchemaNode = templateSchema): Finding[] {
  return schemaFindings(validator(schema), data);
}

/** The validator's errors over `data`, worded as findings. */
export function schemaFindings(validate: ValidateFunction, data: unknown): Finding[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const findings = errors.map((error) => ({ keyword: error.keyword, finding: toFinding(error, data) }));
  // A value of the wrong type also fails its enum or pattern: report only the type.
  const mistyped = new Set(findings.filter((f) => f.keyword === 'type').map((f) => pathKey(f.finding.path)));
  return findings.filter((f) => f.keyword === 'type' || !mistyped.has(pathKey(f.finding.path))).map((f) => f.finding);
}

function toFinding(error: ErrorObject, data: unknown): Finding {
  const path = pointerToPath(error.instancePath, data);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const expected = parent.description;
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      const suggestion = didYouMean(key, known);
      return {
        path: [...path, key],
        at: 'key',
        message: `unknown key "${key}"${suggestion || `: remove it (known keys here: ${known.join(', ')})`}`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const what = parent.properties?.[key]?.description;
      return { path, at: 'key', message: `missing required key "${key}"${what ? `: add ${what}` : ''}` };
    }
    case 'type':
      return { path, message: `expected ${expected ?? typeWords(parent.type)}, got ${describe(value)}${quoteHint(parent, value)}` };
    case 'enum': {
      const allowed = (parent.enum ?? []).map(String);
      const suggestion = didYouMean(String(value), allowed);
      return { path, message: `${describe(value)} is not one of ${allowed.join(', ')}${suggestion}` };
    }
    case 'pattern':
      return { path, message: `${describe(value)} is not valid here: expected ${expected ?? `text matching ${parent.pattern}`}` };
    case 'minimum':
    case 'maximum':
      return { path, message: `${describe(value)} is out of range: must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${params.limit}` };
    case 'minItems':
      return { path, message: `must not be empty: give ${expected ?? 'at least one item'}` };
    case 'minProperties':
    case 'maxProperties': {
      const present = Object.keys((value ?? {}) as object);
      const found = present.length ? `found ${present.join(' and ')}` : 'found none';
      return { path, message: `expected ${expected ?? 'one key'}, ${found}` };
    }
    default:
      return { path, message: `${error.message ?? 'is invalid'}` };
  }
}

/** "/provision/1/shell" -> ["provision", 1, "shell"], numbering only real array indices. */
function pointerToPath(pointer: string, data: unknown): Segment[] {
  const path: Segment[] = [];
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = (node as Record<string, unknown> | undefined)?.[segment];
    }
  }
  return path;
}

function typeWords(type: SchemaNode['type']): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'nothing',
  };
  const types = Array.isArray(type) ? type : type ? [type] : [];
  return types.map((t) => words[t] ?? t).join(' or ') || 'another value';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/** YAML reads `password: 1234` as a number; say how to keep it a string (where any text will do). */
function quoteHint(schema: SchemaNode, value: unknown): string {
  const anyText = schema.type === 'string' && !schema.enum && !schema.pattern && !schema.description?.startsWith('a duration');
  return anyText && (typeof value === 'number' || typeof value === 'boolean') ? ` (quote it: "${value}")` : '';
}
