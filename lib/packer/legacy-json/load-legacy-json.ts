// Packer's legacy JSON templates (`packer build -var-file=vars.json -only=qemu
// packer.json`) into the evaluated model both Packer front ends yield: user variables
// resolved, strings evaluated, one build per builder with the provisioners and
// post-processors that apply to it. Every problem is reported at once, with its place.
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { KilnError, ValidationError, type Issue } from '../../errors.js';
import { Masker } from '../../log/mask.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { sortIssues } from '../../template/format-issues.js';
import { parseSource, type ParsedSource } from '../../template/parse-source.js';
import { readText } from '../../template/read-text.js';
import { distinctBy } from '../../util/distinct-by.js';
import type { PackerInputs, PackerNote, PackerTemplate } from '../model.js';
import { assembleBuild } from './builds.js';
import { entriesOf, issueAt, posAt, startOf, type Entry } from './json-source.js';
import { readBuilders, readPostProcessors, readProvisioners } from './plugin-blocks.js';
import type { RenderContext } from './render-value.js';
import { selectBuilds } from './select-builds.js';
import { collectVariableInputs } from './variable-inputs.js';
import { describeVariables, resolveVariables, sensitiveNames } from './variables.js';

/** What a load may take from outside besides the inputs; tests fix them. */
export interface LegacyJsonOptions {
  /** The instant timestamp and isotime give (Packer: when it started). */
  now?: Date;
  /** pwd's answer. */
  cwd?: string;
  uuid?: () => string;
}

const TOP_LEVEL_KEYS = ['builders', 'provisioners', 'post-processors', 'variables', 'sensitive-variables', 'description', 'min_packer_version', 'error-cleanup-provisioner'];

export async function loadLegacyJson(file: string, inputs: PackerInputs, options: LegacyJsonOptions = {}): Promise<PackerTemplate> {
  const source = parseSource(await readText(file, 'template'), file);
  const root = source.doc.contents as Node | null;
  if (!isMap(root)) {
    throw new KilnError('E_TEMPLATE', `${file}: a Packer JSON template is an object with "builders"`, { hint: 'check that this is the template you meant' });
  }
  const issues: Issue[] = [];
  const notes: PackerNote[] = [];
  const top = topLevel(source, entriesOf(root), issues, notes);

  const variableInputs = await collectVariableInputs(source, top.get('variables'), inputs.varFiles, inputs.vars, issues);
  const templateDir = dirname(resolve(file));
  const base = { templateDir, cwd: options.cwd ?? process.cwd(), now: options.now ?? new Date(), ...(options.uuid ? { uuid: options.uuid } : {}) };
  const noted = new Set<string>();
  const values = resolveVariables(variableInputs, inputs.env ?? process.env, base, issues, { notes, noted });
  const sensitive = sensitiveNames(top.get('sensitive-variables'), variableInputs, source, issues);
  const summary = describeVariables(variableInputs, values, sensitive);

  const builders = readBuilders(source, top.get('builders'), issues);
  const builderNames = builders.map((b) => b.buildName);
  const provisioners = readProvisioners(source, top.get('provisioners'), builderNames, issues);
  const postProcessors = readPostProcessors(source, top.get('post-processors'), builderNames, issues);
  const postProcessorNames = postProcessors.flat().flatMap((block) => (block.name === undefined ? [] : [block.name]));
  const selection = selectBuilds(builderNames, postProcessorNames, inputs.only, inputs.except);
  issues.push(...selection.issues);

  const context: RenderContext = {
    source,
    // A variable with no value for a problem already reported reads as "", quietly.
    scope: { ...base, user: (name) => values.get(name) ?? (variableInputs.has(name) ? '' : undefined) },
    defined: new Set(variableInputs.keys()),
    issues,
    notes,
    noted,
  };
  const parts = {
    provisioners,
    postProcessors,
    skipPostProcessor: selection.skipPostProcessor,
    dir: templateDir,
    sensitive: summary.sensitiveValues,
    files: [resolve(file), ...inputs.varFiles.map((f) => resolve(f))],
  };
  const builds = builders.filter((b) => selection.builds.includes(b.buildName)).map((builder) => assembleBuild(builder, parts, context));

  // Messages may quote what a string evaluated to; no secret may reach them.
  const masker = new Masker(summary.sensitiveValues);
  if (issues.length > 0) throw new ValidationError(sortIssues(distinctBy(issues, (i) => `${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`).map((i) => ({ ...i, message: masker.mask(i.message) }))), file);
  return { builds, notes: notes.map((n) => ({ ...n, message: masker.mask(n.message) })), variables: summary.list };
}

/** The top-level entries by key; unknown keys are issues, `_comment` style keys are skipped. */
function topLevel(source: ParsedSource, entries: Entry[], issues: Issue[], notes: PackerNote[]): Map<string, Node | null> {
  const byKey = new Map<string, Node | null>();
  for (const entry of entries) {
    const at = startOf(entry.keyNode);
    if (entry.key.startsWith('_')) continue; // Packer's way to write comments in JSON
    if (!TOP_LEVEL_KEYS.includes(entry.key)) {
      issues.push(issueAt(source, at, entry.key, `unknown top-level key "${entry.key}"${didYouMean(entry.key, TOP_LEVEL_KEYS)} (a Packer JSON template has ${TOP_LEVEL_KEYS.join(', ')}; keys starting with "_" are comments)`));
      continue;
    }
    byKey.set(entry.key, entry.value);
    if (entry.key === 'min_packer_version') {
      const version = isScalar(entry.value) ? String(entry.value.value) : '';
      notes.push({ pos: posAt(source, at), message: `min_packer_version ${JSON.stringify(version)} is not checked: kiln reads the template itself, not through Packer` });
    } else if (entry.key === 'error-cleanup-provisioner') {
      notes.push({ pos: posAt(source, at), message: '"error-cleanup-provisioner" is ignored: kiln does not run a provisioner after a failed build' });
    }
  }
  return byKey;
}
