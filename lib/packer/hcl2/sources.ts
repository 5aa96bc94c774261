// Top-level `source "type" "name"` blocks, by the name builds refer to them with
// ("type.name"), and the blocks kiln accepts without acting on: data sources and the
// packer block's plugin requirements.
import type { PackerNote } from '../model.js';
import type { HclBlock } from './hcl.js';
import { spanPos, type Problems } from './problems.js';

export interface SourceDefinition {
  type: string;
  name: string;
  block: HclBlock;
}

export function declareSources(blocks: readonly HclBlock[], problems: Problems): Map<string, SourceDefinition> {
  const sources = new Map<string, SourceDefinition>();
  for (const block of blocks) {
    const [type = '', name = ''] = block.labels;
    const key = `${type}.${name}`;
    const earlier = sources.get(key);
    if (earlier !== undefined) {
      problems.add(block.span, `source "${type}" "${name}" is defined twice (first at ${earlier.block.span.file}:${earlier.block.span.line}:${earlier.block.span.column})`, `source.${key}`);
      continue;
    }
    sources.set(key, { type, name, block });
  }
  return sources;
}

/** Notes for the blocks kiln reads but does not act on. */
export function ignoredBlockNotes(data: readonly HclBlock[], packer: readonly HclBlock[]): PackerNote[] {
  const notes: PackerNote[] = data.map((block) => ({
    pos: spanPos(block.span),
    message: `data source ${block.labels[0] ?? ''} is not supported by kiln: data.${block.labels.join('.')} cannot be read (wrap a use in try() to give a fallback)`,
  }));
  const plugins = packer.flatMap((block) => block.body.blocks.filter((b) => b.type === 'required_plugins'));
  const first = plugins[0] ?? packer[0];
  if (first !== undefined) notes.push({ pos: spanPos(first.span), message: 'kiln builds qemu and virtualbox-iso itself; required_plugins ignored' });
  return notes;
}
