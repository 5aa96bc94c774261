// One build block becomes one PackerBuild per source it uses: the source's settings with
// the build's overrides merged in, and the provisioners and post-processor chains that
// apply to that source. `source.*` and `build.*` are bound per source.
import { didYouMean } from '../../../util/did-you-mean.js';
import type { PackerBuild, PackerNote, PluginConfig } from '../../model.js';
import type { HclBlock, HclValue } from '../hcl.js';
import { spanPos, type Problems } from '../problems.js';
import { fullName, type BuildSelection } from '../select-builds.js';
import { evaluateIn, type Scope } from '../scope.js';
import { evaluateSettings, type Settings } from '../settings.js';
import type { SourceDefinition } from '../sources.js';
import { blockTitle } from '../top-level.js';
import { pluginFor, type PluginTarget } from './plugins.js';
import { sourceUses, type SourceUse } from './source-uses.js';

const BUILD_ATTRIBUTES = ['name', 'description', 'sources'];
const BUILD_BLOCKS = ['source', 'provisioner', 'post-processor', 'post-processors', 'error-cleanup-provisioner', 'hcp_packer_registry'];

/** Packer's build variables, known only once the machine runs: left as Packer's own `build` template calls. */
const BUILD_VARIABLES = ['ID', 'Host', 'Port', 'User', 'Password', 'ConnType', 'PackerRunUUID', 'PackerHTTPIP', 'PackerHTTPPort', 'PackerHTTPAddr', 'SSHPublicKey', 'SSHPrivateKey', 'WinRMPassword'];

export interface BuildInputs {
  scope: Scope;
  sources: ReadonlyMap<string, SourceDefinition>;
  dir: string;
  sensitive: readonly string[];
  files: readonly string[];
}

/** The builds of one build block that `selection` keeps. */
export function expandBuild(block: HclBlock, inputs: BuildInputs, selection: BuildSelection, problems: Problems, notes: PackerNote[]): PackerBuild[] {
  checkSchema(block, problems, notes);
  const buildName = stringAttribute(block, 'name', inputs.scope, problems);
  const uses = sourceUses(block, inputs.scope, inputs.sources, problems);
  const knownNames = [...new Set([...inputs.sources.keys(), ...uses.map((u) => `${u.definition.type}.${u.name}`)])];
  const selected = uses.filter((use) => selection.includes(fullName(buildName, `${use.definition.type}.${use.name}`)));
  return selected.map((use) => {
    const build = expandUse(block, use, buildName, knownNames, inputs, problems, notes);
    return { ...build, postProcessors: selection.keptChains(build.postProcessors) };
  });
}

function expandUse(block: HclBlock, use: SourceUse, buildName: string | undefined, knownNames: string[], inputs: BuildInputs, problems: Problems, notes: PackerNote[]): PackerBuild {
  const { type } = use.definition;
  const build: Record<string, HclValue> = { name: buildName ?? '' };
  for (const variable of BUILD_VARIABLES) build[variable] = `{{ build \`${variable}\` }}`;
  const scope: Scope = { ...inputs.scope, source: { type, name: use.name }, build };
  const target: PluginTarget = { sourceName: `${type}.${use.name}`, name: use.name, knownNames };
  const settings = sourceSettings(use, scope, problems);

  const provisioners: PluginConfig[] = [];
  const postProcessors: PluginConfig[][] = [];
  for (const nested of block.body.blocks) {
    if (nested.type === 'provisioner' || nested.type === 'post-processor') {
      if (!hasOneLabel(nested, problems)) continue;
      const plugin = pluginFor(nested, target, scope, problems, notes);
      if (plugin === undefined) continue;
      if (nested.type === 'provisioner') provisioners.push(plugin);
      else postProcessors.push([plugin]);
    } else if (nested.type === 'post-processors') {
      const chain: PluginConfig[] = [];
      for (const item of nested.body.blocks) {
        if (item.type !== 'post-processor') {
          problems.add(item.span, `${blockTitle(item)}: a post-processors block holds only post-processor blocks${didYouMean(item.type, ['post-processor'])}`);
          continue;
        }
        if (!hasOneLabel(item, problems)) continue;
        const plugin = pluginFor(item, target, scope, problems, notes);
        if (plugin !== undefined) chain.push(plugin);
      }
      for (const attribute of nested.body.attributes) problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in a post-processors block: it holds only post-processor blocks`);
      if (chain.length > 0) postProcessors.push(chain);
    }
  }
  return {
    name: `${type}.${use.name}`,
    ...(buildName === undefined ? {} : { buildName }),
    source: { type, name: use.name, pos: spanPos(use.definition.block.span), settings },
    provisioners,
    postProcessors,
    dir: inputs.dir,
    sensitive: [...inputs.sensitive],
    files: [...inputs.files],
  };
}

/** The source's own settings, with the build's source block merged in; a setting cannot be given twice. */
function sourceSettings(use: SourceUse, scope: Scope, problems: Problems): Settings {
  const { type, name } = use.definition;
  const settings = evaluateSettings(use.definition.block.body, scope, problems, `source.${type}.${name}`);
  if (use.overrides === undefined) return settings;
  const overrides = evaluateSettings(use.overrides.body, scope, problems, `build.source.${type}.${name}`, ['name']);
  for (const [key, setting] of Object.entries(overrides)) {
    const base = settings[key];
    if (base !== undefined) {
      problems.add(setting.pos, `"${key}" is already set by source "${type}" "${name}" (at ${base.pos.file}:${base.pos.line}:${base.pos.column}); a build's source block can only add settings the source leaves unset`);
      continue;
    }
    settings[key] = setting;
  }
  return settings;
}

function hasOneLabel(block: HclBlock, problems: Problems): boolean {
  if (block.labels.length === 1) return true;
  problems.add(block.span, `${blockTitle(block)}: a ${block.type} block takes one label, its type: ${block.type} "shell" { ... }`);
  return false;
}

function stringAttribute(block: HclBlock, name: string, scope: Scope, problems: Problems): string | undefined {
  const attribute = block.body.attributes.find((a) => a.name === name);
  if (attribute === undefined) return undefined;
  try {
    const value = evaluateIn(scope, attribute.expr);
    if (typeof value === 'string') return value === '' ? undefined : value;
    problems.add(attribute.expr.span, `build: ${name} must be a string`, `build.${name}`);
  } catch (error) {
    problems.addError(error, `build.${name}`);
  }
  return undefined;
}

function checkSchema(block: HclBlock, problems: Problems, notes: PackerNote[]): void {
  if (block.labels.length > 0) problems.add(block.span, 'a build block takes no labels; name it with name = "..." inside');
  for (const attribute of block.body.attributes) {
    if (BUILD_ATTRIBUTES.includes(attribute.name)) continue;
    problems.add(attribute.nameSpan, `unknown attribute "${attribute.name}" in a build block${didYouMean(attribute.name, BUILD_ATTRIBUTES) || `: a build block takes ${BUILD_ATTRIBUTES.join(', ')}`}`, `build.${attribute.name}`);
  }
  for (const nested of block.body.blocks) {
    if (!BUILD_BLOCKS.includes(nested.type)) {
      problems.add(nested.span, `unknown block "${nested.type}" in a build block${didYouMean(nested.type, BUILD_BLOCKS) || `: a build block holds ${BUILD_BLOCKS.join(', ')} blocks`}`, `build.${nested.type}`);
    } else if (nested.type === 'error-cleanup-provisioner' || nested.type === 'hcp_packer_registry') {
      notes.push({ pos: spanPos(nested.span), message: `${blockTitle(nested)}: kiln does not run ${nested.type} blocks; ignored` });
    }
  }
}
