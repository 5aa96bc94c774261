// Every check over a parsed template, collected at once: expressions and variables,
// schema, semantic rules, boot command syntax, local paths. Returns the substituted
// data and the problems found, each located in the file.
import type { Issue } from '../errors.js';
import type { BootWaitKind } from './types.js';
import { checkBootCommand } from './boot-syntax.js';
import { outputDirConflict, type GuardedDir } from './check-output-dir.js';
import { checkPaths } from './check-paths.js';
import { servedDirProblem } from './check-served-dir.js';
import { loadPlugins, type LoadedKind } from '../plugins/load-plugins.js';
import { checkSchema } from './check-schema.js';
import { schemaWithKinds } from './schema.js';
import { pathKey, type Finding } from './finding.js';
import type { ParsedSource } from './parse-source.js';
import { resolvePath } from './paths.js';
import { locate } from './positions.js';
import { placeholderTable } from './placeholders.js';
import { renderPartial } from './render.js';
import type { PlaceholderValues } from './types.js';
import { checkSemantics, type PathCheck } from './semantics.js';
import { templateData } from './to-data.js';

export interface Validated {
  /** The template data with variables substituted; trust its shape only when `issues` is empty. */
  data: unknown;
  issues: Issue[];
  /** Legal but probably unmeant (a key held to the end of the boot command); shown, never fatal. */
  warnings: Issue[];
  /** The kinds of wait the boot command uses. */
  bootWaits: BootWaitKind[];
  /** The kinds the template's plugins gave. */
  plugins: LoadedKind[];
}

export async function validateTemplate(
  source: ParsedSource,
  dir: string,
  values: Record<string, string>,
  declared: ReadonlySet<string>,
  guarded: readonly GuardedDir[] = [],
  /** Values of sensitive variables: a boot-command error inside one never quotes it. */
  secrets: readonly string[] = [],
  /** Where relative paths start, as missing-path messages say it. */
  relativeTo?: string,
): Promise<Validated> {
  const { data, findings, unresolved, mapOffsets } = templateData(source.doc, values, declared);
  // Plugins first: their kinds' option schemas are part of the template's.
  const plugins = await loadPlugins(isRecord(data) ? data.plugins : undefined, dir);
  const semantics = checkSemantics(data, dir);
  const unaffected = (f: { path: Finding['path'] }) => !unresolved.has(pathKey(f.path));
  const boot = checkBootCommand(isRecord(data) && isRecord(data.boot) ? data.boot.command : undefined, knownPlaceholders(data, dir), secrets);
  const later = [
    ...plugins.findings,
    ...checkSchema(data, schemaWithKinds(plugins.kinds)),
    ...semantics.findings,
    ...boot.findings,
    ...(await checkPaths(semantics.paths.filter(unaffected), relativeTo)),
    ...(await checkOutputDir(data, dir, [...guarded, ...semantics.paths.map(asGuard)])),
    ...(await checkServedDir(data, dir)),
  ].filter(unaffected);
  const all = [...findings, ...mapOffsets(later)];
  const seen = new Set<string>();
  const unique = all.filter((f) => {
    const key = `${pathKey(f.path)} ${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const warnings = all.length > 0 ? [] : mapOffsets(boot.warnings.filter(unaffected)).map((f) => locate(source, f));
  return { data, issues: unique.map((f) => locate(source, f)), warnings, bootWaits: boot.waits, plugins: plugins.kinds };
}

/** What the boot command types, as far as it is known before boot: the name and output directory; stand-ins for the rest. */
function knownPlaceholders(data: unknown, dir: string): Partial<PlaceholderValues> {
  if (!isRecord(data) || typeof data.name !== 'string') return {};
  const outputDir = outputDirectory(data, dir);
  return placeholderTable({ name: data.name, outputDir: outputDir ?? '', httpPort: SAMPLE_PORT, sshPublicKey: SAMPLE_KEY });
}

const SAMPLE_PORT = 8080;
const SAMPLE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKilnKilnKilnKilnKilnKilnKilnKilnKilnKilnKiln kiln';

/** The absolute output directory, or undefined when its placeholder is malformed (reported elsewhere). */
function outputDirectory(data: Record<string, unknown>, dir: string): string | undefined {
  const given = isRecord(data.output) && typeof data.output.directory === 'string' ? data.output.directory : undefined;
  try {
    return resolvePath(dir, renderPartial(given ?? 'output/{{ .Name }}', { Name: String(data.name) }));
  } catch {
    return undefined;
  }
}

const asGuard = (input: PathCheck): GuardedDir => ({ path: input.absolute, what: 'one of the build\'s inputs' });

async function checkOutputDir(data: unknown, dir: string, guarded: GuardedDir[]): Promise<Finding[]> {
  if (!isRecord(data) || typeof data.name !== 'string') return [];
  const given = isRecord(data.output) && typeof data.output.directory === 'string' ? data.output.directory : undefined;
  const directory = outputDirectory(data, dir);
  if (directory === undefined) return []; // a placeholder problem, reported by the semantic checks
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
