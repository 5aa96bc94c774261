// Loads a template file: parse (YAML or JSON), resolve variables, validate everything
// at once, normalise. Reading files is the only I/O besides validate's path checks.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Masker } from '../log/mask.js';
import { defaultCacheDir } from '../source/cache-layout.js';
import { KilnError, ValidationError, type Issue } from '../errors.js';
import { own } from '../util/own.js';
import { sortIssues } from './format-issues.js';
import { normalise, type RawTemplate } from './normalise.js';
import type { Template } from './types.js';
import { parseSource, type ParsedSource } from './parse-source.js';
import type { GuardedDir } from './check-output-dir.js';
import { validateTemplate } from './validate.js';
import { declarationsFrom, readVarFile, resolveVariables, type VarFileValues } from './variables.js';

export type { Template } from './types.js';

export interface LoadOptions {
  /** --var NAME=VALUE, highest precedence. */
  vars?: Record<string, string>;
  /** --var-file paths (YAML or JSON maps of name -> scalar); later files win. */
  varFiles?: string[];
  /** kiln's cache root, which no output directory may be or contain; default defaultCacheDir(). */
  cacheDir?: string;
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

  const guarded: GuardedDir[] = [
    { path: dirname(absolute), what: "the template's folder" },
    { path: process.cwd(), what: 'the working directory' },
    { path: homedir(), what: 'your home directory' },
    { path: options.cacheDir ?? defaultCacheDir(), what: "kiln's cache" },
    ...(options.varFiles ?? []).map((f) => ({ path: resolve(f), what: 'a var file' })),
  ];
  // Messages quote values; a sensitive variable's value must not reach the terminal.
  const secrets = variables.sensitive.map((name) => own(variables.values, name) ?? '').filter((v) => v !== '');
  const validated = await validateTemplate(source, dirname(absolute), variables.values, new Set(declared.keys()), guarded, secrets);
  issues.push(...validated.issues);
  const masker = new Masker(secrets);
  const mask = (list: Issue[]) => sortIssues(list.map((issue) => ({ ...issue, message: masker.mask(issue.message) })));
  if (issues.length > 0) throw new ValidationError(mask(issues), file);

  const template = normalise(validated.data as RawTemplate, { file: absolute, variables: variables.values, sensitive: variables.sensitive });
  if (validated.warnings.length > 0) template.warnings = mask(validated.warnings);
  return { template, source };
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KilnError('E_TEMPLATE', `cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, {
      cause,
      hint: code === 'ENOENT' ? `check the path of the ${what}` : `check that the ${what} is a readable file`,
    });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
