// Run by `npm run build` after tsc: writes kiln's template schema as a precompiled ajv
// validator (an ES module, with the schema's digest) next to schema-validator.js in dist/,
// so no run compiles it again.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standalone from 'ajv/dist/standalone/index.js';
import { templateSchema } from './schema.js';
import { AJV_OPTIONS, ajvClass, PRECOMPILED_FILE, schemaDigest } from './schema-validator.js';
import type { SchemaNode } from './schema-nodes.js';

/** The module's source: ajv's standalone code, its `validate` export, and `schemaDigest`. */
export function precompiledSource(schema: SchemaNode): string {
  const AjvClass = ajvClass();
  const ajv = new AjvClass({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  // A CommonJS module: its function is module.exports, typed (and also exported) as .default.
  const code = standalone.default(ajv, ajv.compile(schema));
  // Some keywords (minLength, uniqueItems, ...) make ajv's ESM output require() its runtime helpers.
  const requireShim = code.includes('require(') ? "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n" : '';
  return `${requireShim}${code}\nexport const schemaDigest = ${JSON.stringify(schemaDigest(schema))};\n`;
}

export function writePrecompiled(schema: SchemaNode = templateSchema, url = new URL(`./${PRECOMPILED_FILE}`, import.meta.url)): string {
  const path = fileURLToPath(url);
  writeFileSync(path, precompiledSource(schema));
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writePrecompiled();
