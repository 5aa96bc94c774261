// Packer HCL2 templates -> kiln's evaluated Packer model. Reads the files, gives the
// variables their values (Packer's precedence), evaluates the locals, expands every
// build block into one build per source and applies -only/-except. Every problem found
// on the way is reported at once, with sensitive values masked.
import { MASK } from '../../log/mask.js';
import { distinctBy } from '../../util/distinct-by.js';
import type { PackerInputs, PackerNote, PackerTemplate } from '../model.js';
import { expandBuild } from './build/expand-build.js';
import { evaluateLocals } from './locals.js';
import { spanPos, Problems } from './problems.js';
import type { Scope } from './scope.js';
import { BuildSelection } from './select-builds.js';
import { declareSources, ignoredBlockNotes } from './sources.js';
import { listTemplateFiles, parseFiles } from './template-files.js';
import { collectTopLevel } from './top-level.js';
import { assignVariables } from './variables/assign.js';
import { declareVariables } from './variables/declarations.js';
import { collectInputs } from './variables/inputs.js';

export async function loadHcl2(target: string, inputs: PackerInputs): Promise<PackerTemplate> {
  const env = inputs.env ?? process.env;
  const problems = new Problems();
  const notes: PackerNote[] = [];
  const template = await listTemplateFiles(target);
  const parsed = await parseFiles(template.files, problems);
  problems.throwIfAny([], target);

  const blocks = collectTopLevel(parsed, problems);
  if (blocks.build.length === 0 && parsed.length > 0) {
    problems.add(undefined, `${target}: the template has no build block; add build { sources = ["source.TYPE.NAME"] } to say what to build`);
  }
  const scope: Scope = {
    vars: {},
    locals: {},
    failed: new Set(),
    path: { root: template.dir, cwd: process.cwd() },
    functionContext: { cwd: process.cwd(), env, now: () => new Date() },
  };
  const declarations = declareVariables(blocks.variable, blocks.variablesAttributes, scope, problems);
  const given = await collectInputs(inputs, env, template.isDir ? template.dir : undefined, scope, problems);
  const variables = await assignVariables(declarations, given.inputs, scope, problems, notes);
  const withVars: Scope = { ...scope, vars: variables.values, failed: variables.failed };
  const locals = evaluateLocals(blocks.localsAttributes, blocks.local, withVars, problems);
  const sensitive = [...variables.sensitive, ...locals.sensitive];
  const full: Scope = { ...withVars, locals: locals.values, failed: new Set([...variables.failed, ...locals.failed]) };

  notes.push(...ignoredBlockNotes(blocks.data, blocks.packer));
  const sources = declareSources(blocks.source, problems);
  const files = [...template.files, ...given.files];
  const selection = new BuildSelection(inputs.only, inputs.except);
  const builds = blocks.build.flatMap((block) => expandBuild(block, { scope: full, sources, dir: template.dir, sensitive, files }, selection, problems, notes));
  // A build block whose sources failed to read would make a pattern look wrong too.
  if (problems.count === 0) selection.reportUnmatched(problems);
  problems.throwIfAny(sensitive, target);

  return {
    builds,
    notes: distinctBy(notes, (n) => `${n.pos.file}:${n.pos.line}:${n.pos.column}:${n.message}`),
    variables: declarations.map((declaration) => ({
      name: declaration.name,
      value: declaration.sensitive ? MASK : (variables.values[declaration.name] ?? null),
      sensitive: declaration.sensitive,
      pos: spanPos(declaration.span),
      ...(declaration.description === undefined ? {} : { description: declaration.description }),
    })),
  };
}
