// What `kiln build` and `kiln validate` build from a template argument: one kiln
// template, or each build of a Packer template (translated, lib/packer). Either way every
// problem, including what this machine cannot build, is refused at once before anything starts.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ValidationError, type Issue } from '../errors.js';
import { lintAnswerFiles, type LintMemo } from '../lint/lint-template.js';
import { templateFormat } from '../packer/detect.js';
import type { PackerNote } from '../packer/model.js';
import { loadParsedTemplate, type LoadOptions } from '../template/load.js';
import type { ParsedSource } from '../template/parse-source.js';
import type { Template } from '../template/types.js';
import { kilnBuildPlans, loadEach } from './matrix-builds.js';
import { unsupportedFeatures } from './unsupported.js';

export interface BuildSelection extends LoadOptions {
  /** Packer templates: -only/-except. */
  only?: string[];
  except?: string[];
}

export interface LoadedBuild {
  /** Packer's name for the build ("qemu.vm"), or a kiln matrix build's; a kiln template without a matrix has none. */
  name?: string;
  template: Template;
  /** The files it was read from, for the manifest's template digest. */
  files: string[];
}

export interface LoadedBuilds {
  builds: LoadedBuild[];
  /** What a Packer template asks for that kiln does differently: shown, never fatal. */
  notes: PackerNote[];
}

/** Loads a template and refuses, all at once, anything this version cannot build. */
export async function loadForBuild(file: string, options: LoadOptions): Promise<Template> {
  const { template, source } = await loadParsedTemplate(file, options);
  const issues = await buildabilityIssues(template, source, file);
  if (issues.length > 0) throw new ValidationError(issues, file);
  return template;
}

export async function loadBuilds(file: string, options: BuildSelection): Promise<LoadedBuilds> {
  const format = await templateFormat(file);
  if (format === 'kiln') {
    const { only = [], except = [], ...load } = options;
    const plans = await kilnBuildPlans(file, load, { only, except });
    const builds = await loadEach(plans, file, async (plan) => ({ ...(plan.options.buildName ? { name: plan.name } : {}), template: await loadForBuild(file, plan.options), files: [file] }));
    return { builds, notes: [] };
  }
  const inputs = { vars: Object.entries(options.vars ?? {}), varFiles: options.varFiles ?? [], only: options.only ?? [], except: options.except ?? [] };
  // Loaded only for Packer templates: a kiln.yaml build does not pay for HCL's parser.
  const { packerBuilds } = await import('../packer/kiln-builds.js');
  const read = await packerBuilds(file, format, inputs, options.cacheDir ? { cacheDir: options.cacheDir } : {});
  const issues: Issue[] = [];
  const memo: LintMemo = new Map();
  for (const build of read.builds) {
    issues.push(...(await buildabilityIssues(build.template, build.source, file, memo)).map((i) => ({ ...i, message: `${build.name}: ${i.message}` })));
  }
  if (issues.length > 0) throw new ValidationError(issues, file);
  return { builds: read.builds.map((b) => ({ name: b.name, template: b.template, files: b.packer.files })), notes: read.notes };
}

/** What the driver or this host cannot do, and the answer files' and boot command's own problems (lib/lint). */
async function buildabilityIssues(template: Template, source: ParsedSource, templateArg: string, memo?: LintMemo): Promise<Issue[]> {
  const issues = unsupportedFeatures(template);
  issues.push(...(await lintAnswerFiles(template, { templateArg, source, ...(memo ? { memo } : {}) })));
  return issues;
}

/** The manifest's template digest: the file's SHA-256, or over every file of a Packer template. */
export async function templateDigest(files: readonly string[]): Promise<string> {
  if (files.length === 1) return createHash('sha256').update(await readFile(files[0]!)).digest('hex');
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(`${file}\0`).update(createHash('sha256').update(await readFile(file)).digest('hex'));
  return hash.digest('hex');
}
