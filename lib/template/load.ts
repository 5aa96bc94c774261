// Loads a template file: parse (YAML or JSON), resolve variables, validate everything
// at once, normalise. Reading files is the only I/O besides validate's path checks.
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Document, LineCounter } from 'yaml';
import { Masker } from '../log/mask.js';
import { defaultCacheDir } from '../source/cache-layout.js';
import { ValidationError, type Issue } from '../errors.js';
import { readText } from './read-text.js';
import { sortIssues } from './format-issues.js';
import { normalise, type RawTemplate } from './normalise.js';
import type { Template } from './types.js';
import { parseSource, type ParsedSource } from './parse-source.js';
import type { GuardedDir } from './check-output-dir.js';
import { validateTemplate } from './validate.js';
import { declarationsFrom, readVarFile, resolveVariables, sensitiveValues, type VarFileValues } from './variables.js';

export type { Template } from './types.js';

export interface LoadOptions {
  /** --var NAME=VALUE, highest precedence. */
  vars?: Record<string, string>;
  /** --var-file paths (YAML or JSON maps of name -> scalar); later files win. */
  varFiles?: string[];
  /** kiln's cache root, which no output directory may be or contain; default defaultCacheDir(). */
  cacheDir?: string;
  /** One build of a matrix: its name (matrix.ts) in place of the template's. */
  buildName?: string;
}

/**
 * Reads, validates and resolves a template. Throws KilnError E_TEMPLATE when a file
 * cannot be read or parsed, and ValidationError with every problem found otherwise.
 */
export async function loadTemplate(file: string, options: LoadOptions = {}): Promise<Template> {
  return (await loadParsedTemplate(file, options)).template;
}

/** loadTemplate, with the parsed file: positions for later checks, without reading it again. */
export async function loadParsedTemplate(file: string, options: LoadOptions = {}): Promise<{ template: Template; source: ParsedSource }> {
  const absolute = resolve(file);
  const source = parseSource(await readText(file, 'template'), file);
  const declared = declarationsFrom(isRecord(source.data) ? source.data.variables : undefined);

  const issues: Issue[] = [];
  const fromFiles: VarFileValues[] = [];
  for (const varFile of options.varFiles ?? []) {
    const read = readVarFile(parseSource(await readText(varFile, 'var file'), varFile), declared);
    fromFiles.push(read.values);
    issues.push(...read.issues);
  }
  const variables = resolveVariables(declared, options.vars ?? {}, fromFiles);
  issues.push(...variables.issues);
  // Messages quote values; a sensitive variable's value must not reach the terminal.
  const secrets = sensitiveValues(variables.values, variables.sensitive);
  const template = await checkAndNormalise(source, {
    file,
    absolute,
    dir: dirname(absolute),
    values: variables.values,
    declared: new Set(declared.keys()),
    secrets,
    inputs: options.varFiles ?? [],
    cacheDir: options.cacheDir,
    earlier: issues,
    buildName: options.buildName,
  });
  return { template, source };
}

export interface DocumentOptions {
  /** The template as the user named it (a Packer file or folder): issues and Template.file. */
  file: string;
  /** What relative paths resolve against. */
  dir: string;
  /** Where each key path was written in the user's files. */
  origin: NonNullable<ParsedSource['origin']>;
  /** Values never to print (the Packer template's sensitive variables). */
  secrets: string[];
  /** The files the template was read from, which no output directory may contain. */
  inputs: string[];
  cacheDir?: string;
  /** Where relative paths start, as messages say it (a Packer template's: the working directory). */
  relativeTo?: string;
}

/**
 * A template document made by a front end (a Packer template translated), checked and
 * normalised exactly like a kiln.yaml; issues point into the user's files through `origin`.
 */
export async function loadTemplateDocument(document: Record<string, unknown>, options: DocumentOptions): Promise<{ template: Template; source: ParsedSource }> {
  // The document as YAML nodes for the checks, without printing and parsing it again:
  // positions come from `origin`, not from a text that was never the user's.
  const doc = new Document(document);
  const source: ParsedSource = { file: options.file, text: '', doc, lineCounter: new LineCounter(), data: doc.toJS(), origin: options.origin };
  const template = await checkAndNormalise(source, {
    file: options.file,
    absolute: resolve(options.file),
    dir: options.dir,
    values: {},
    declared: new Set(),
    secrets: options.secrets.filter((s) => s !== ''),
    inputs: options.inputs,
    cacheDir: options.cacheDir,
    earlier: [],
    relativeTo: options.relativeTo,
  });
  return { template, source };
}

interface CheckContext {
  file: string;
  absolute: string;
  dir: string;
  values: Record<string, string>;
  declared: ReadonlySet<string>;
  secrets: string[];
  /** Var files and other inputs besides the template. */
  inputs: string[];
  cacheDir: string | undefined;
  /** Issues found before the checks (variables). */
  earlier: Issue[];
  /** Where relative paths start, for messages; default the template's directory. */
  relativeTo?: string;
  buildName?: string;
}

async function checkAndNormalise(source: ParsedSource, c: CheckContext): Promise<Template> {
  const guarded: GuardedDir[] = [
    { path: c.dir, what: "the template's folder" },
    { path: process.cwd(), what: 'the working directory' },
    { path: homedir(), what: 'your home directory' },
    { path: c.cacheDir ?? defaultCacheDir(), what: "kiln's cache" },
    ...c.inputs.map((f) => ({ path: resolve(f), what: 'one of the template\'s files' })),
  ];
  const validated = await validateTemplate(source, c.dir, c.values, c.declared, guarded, c.secrets, c.relativeTo);
  const masker = new Masker(c.secrets);
  const mask = (list: Issue[]) => sortIssues(list.map((issue) => ({ ...issue, message: masker.mask(issue.message) })));
  const issues = [...c.earlier, ...validated.issues];
  if (issues.length > 0) throw new ValidationError(mask(issues), c.file);
  const data = validated.data as RawTemplate;
  const template = normalise(c.buildName ? { ...data, name: c.buildName } : data, { file: c.absolute, dir: c.dir, variables: c.values, secrets: c.secrets, bootWaits: validated.bootWaits, plugins: validated.plugins });
  if (validated.warnings.length > 0) template.warnings = mask(validated.warnings);
  return template;
}


const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
