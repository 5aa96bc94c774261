// Every check over a parsed template, collected at once: expressions and variables,
// schema, semantic rules, boot command syntax, local paths. Returns the substituted
// data and the problems found, each located in the file.
import type { Issue } from '../errors.js';
import { checkBootCommand } from './boot-syntax.js';
import { checkPaths } from './check-paths.js';
import { checkSchema } from './check-schema.js';
import { pathKey, type Finding } from './finding.js';
import type { ParsedSource } from './parse-source.js';
import { locate } from './positions.js';
import { checkSemantics } from './semantics.js';
import { templateData } from './to-data.js';

export interface Validated {
  /** The template data with variables substituted; trust its shape only when `issues` is empty. */
  data: unknown;
  issues: Issue[];
}

export async function validateTemplate(
  source: ParsedSource,
  dir: string,
  values: Record<string, string>,
  declared: ReadonlySet<string>,
): Promise<Validated> {
  const { data, findings, unresolved, mapOffsets } = templateData(source.doc, values, declared);
  const semantics = checkSemantics(data, dir);
  const unaffected = (f: { path: Finding['path'] }) => !unresolved.has(pathKey(f.path));
  const later = [
    ...checkSchema(data),
    ...semantics.findings,
    ...checkBootCommand(isRecord(data) && isRecord(data.boot) ? data.boot.command : undefined),
    ...(await checkPaths(semantics.paths.filter(unaffected))),
  ].filter(unaffected);
  const all = [...findings, ...mapOffsets(later)];
  const seen = new Set<string>();
  const unique = all.filter((f) => {
    const key = `${pathKey(f.path)} ${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { data, issues: unique.map((f) => locate(source, f)) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
