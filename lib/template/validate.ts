// Every check over a parsed template, collected at once: expressions and variables,
// schema, semantic rules, boot command syntax, local paths. Returns the substituted
// data and the problems found, each located in the file.
import type { Issue } from '../errors.js';
import { checkBootCommand } from './boot-syntax.js';
import { outputDirConflict, type GuardedDir } from './check-output-dir.js';
import { checkPaths } from './check-paths.js';
import { servedDirProblem } from './check-served-dir.js';
import { checkSchema } from './check-schema.js';
import { pathKey, type Finding } from './finding.js';
import type { ParsedSource } from './parse-source.js';
import { resolvePath } from './paths.js';
import { locate } from './positions.js';
import { renderPartial } from './render.js';
import { checkSemantics, type PathCheck } from './semantics.js';
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
  guarded: readonly GuardedDir[] = [],
): Promise<Validated> {
  const { data, findings, unresolved, mapOffsets } = templateData(source.doc, values, declared);
  const semantics = checkSemantics(data, dir);
  const unaffected = (f: { path: Finding['path'] }) => !unresolved.has(pathKey(f.path));
  const later = [
    ...checkSchema(data),
    ...semantics.findings,
    ...checkBootCommand(isRecord(data) && isRecord(data.boot) ? data.boot.command : undefined),
    ...(await checkPaths(semantics.paths.filter(unaffected))),
    ...(await checkOutputDir(data, dir, [...guarded, ...semantics.paths.map(asGuard)])),
    ...(await checkServedDir(data, dir)),
  ].filter(unaffected);
  const all = [...findings, ...mapOffsets(later)];
  const seen = new Set<string>();
  const unique = all.filter((f) => {
    const key = `${pathKey(f.path)} ${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { data, issues: unique.map((f) => locate(source, f)) };
}

const asGuard = (input: PathCheck): GuardedDir => ({ path: input.absolute, what: 'one of the build\'s inputs' });

async function checkOutputDir(data: unknown, dir: string, guarded: GuardedDir[]): Promise<Finding[]> {
  if (!isRecord(data) || typeof data.name !== 'string') return [];
  const given = isRecord(data.output) && typeof data.output.directory === 'string' ? data.output.directory : undefined;
  let directory: string;
  try {
    directory = resolvePath(dir, renderPartial(given ?? 'output/{{ .Name }}', { Name: data.name }));
  } catch {
    return []; // a placeholder problem, reported by the semantic checks
  }
  const message = await outputDirConflict(directory, guarded);
  if (!message) return [];
  return [{ path: given === undefined ? ['name'] : ['output', 'directory'], message: `output directory ${message}` }];
}

async function checkServedDir(data: unknown, dir: string): Promise<Finding[]> {
  const given = isRecord(data) && isRecord(data.http) ? data.http.directory : undefined;
  if (typeof given !== 'string' || !given.trim()) return [];
  const message = await servedDirProblem(resolvePath(dir, given));
  return message ? [{ path: ['http', 'directory'], message }] : [];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
