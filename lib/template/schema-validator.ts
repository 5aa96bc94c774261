// The validator function for a schema: kiln's own comes precompiled (generate-validator.ts
// writes it at build time, since compiling it costs every run 100-200 ms), any other schema
// (plugin kinds added) is compiled here. ajv itself is loaded only when something compiles.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import type { SchemaNode } from './schema-nodes.js';

/** One set of options for both: verbose, since check-schema.ts words errors from parentSchema and data. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true, strict: true, logger: false } satisfies Options;

/** The generated module, written next to this one in dist/ (never in the source tree). */
export const PRECOMPILED_FILE = 'precompiled-schema.js';

/** What the generated module exports. */
export interface Precompiled {
  /** schemaDigest() of the schema the validator was generated from. */
  schemaDigest: string;
  validate: ValidateFunction;
}

export function schemaDigest(schema: SchemaNode): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** ajv's class, required on first use: loading its modules costs a run 60-70 ms. */
export function ajvClass(): typeof Ajv {
  return (createRequire(import.meta.url)('ajv') as typeof import('ajv')).Ajv;
}

export function compileSchema(schema: SchemaNode): ValidateFunction {
  const AjvClass = ajvClass();
  return new AjvClass(AJV_OPTIONS).compile(schema);
}

/** The generated module, or undefined when there is none (dist built by plain tsc). */
export async function loadPrecompiled(url = new URL(`./${PRECOMPILED_FILE}`, import.meta.url)): Promise<Precompiled | undefined> {
  try {
    const module = (await import(url.href)) as Partial<Precompiled>;
    return typeof module.schemaDigest === 'string' && typeof module.validate === 'function' ? { schemaDigest: module.schemaDigest, validate: module.validate } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The precompiled validator when it was generated from exactly this schema; else one compiled now. */
export function validatorFor(schema: SchemaNode, precompiled: Precompiled | undefined): ValidateFunction {
  return precompiled && precompiled.schemaDigest === schemaDigest(schema) ? precompiled.validate : compileSchema(schema);
}
