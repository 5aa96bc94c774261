// One PackerBuild per builder: its settings evaluated with build_name and build_type
// set to it, the provisioners that apply to it (with their override for it merged over
// their settings), and the post-processor chains, each cut to the members that apply.
import type { PackerBuild, PluginConfig } from '../model.js';
import { joinPath, posAt, startOf } from './json-source.js';
import { appliesTo, type Block, type Builder } from './plugin-blocks.js';
import { renderSettings, type RenderContext } from './render-value.js';

export interface BuildParts {
  provisioners: Block[];
  postProcessors: Block[][];
  /** Post-processor names given to -except: those are left out (as Packer does). */
  skipPostProcessor: (name: string) => boolean;
  dir: string;
  sensitive: string[];
  files: string[];
}

export function assembleBuild(builder: Builder, parts: BuildParts, base: RenderContext): PackerBuild {
  const context: RenderContext = { ...base, scope: { ...base.scope, build: { name: builder.buildName, type: builder.type } } };
  const postProcessors = parts.postProcessors
    .map((chain) => chain.filter((block) => appliesTo(block, builder.buildName) && !(block.name !== undefined && parts.skipPostProcessor(block.name))))
    .filter((chain) => chain.length > 0)
    .map((chain) => chain.map((block) => pluginConfig(block, builder.buildName, context)));
  return {
    name: builder.buildName,
    source: pluginConfig(builder, builder.buildName, context),
    provisioners: parts.provisioners.filter((block) => appliesTo(block, builder.buildName)).map((block) => pluginConfig(block, builder.buildName, context)),
    postProcessors,
    dir: parts.dir,
    sensitive: parts.sensitive,
    files: parts.files,
  };
}

function pluginConfig(block: Block, buildName: string, context: RenderContext): PluginConfig {
  const override = block.override.get(buildName) ?? [];
  const overridden = new Set(override.map((entry) => entry.key));
  // An override replaces a setting whole, and the setting keeps the position of the override's key.
  const settings = renderSettings(block.entries.filter((entry) => !overridden.has(entry.key)), block.path, context);
  Object.assign(settings, renderSettings(override, joinPath(joinPath(block.path, 'override'), buildName), context));
  const config: PluginConfig = { type: block.type, pos: posAt(context.source, startOf(block.node)), settings };
  if (block.name !== undefined) config.name = block.name;
  return config;
}
