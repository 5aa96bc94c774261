// The top level of a Packer HCL2 template: which blocks it has, each with the number of
// labels Packer's schema gives it. Unknown blocks and any top-level attribute are errors.
import { didYouMean } from '../../util/did-you-mean.js';
import type { HclAttribute, HclBlock } from './hcl.js';
import type { Problems } from './problems.js';
import type { ParsedFile } from './template-files.js';

export interface TemplateBlocks {
  variable: HclBlock[];
  /** Attributes of legacy `variables { name = value }` blocks: each one a variable with a default. */
  variablesAttributes: HclAttribute[];
  /** Attributes of every `locals { }` block. */
  localsAttributes: HclAttribute[];
  local: HclBlock[];
  source: HclBlock[];
  build: HclBlock[];
  data: HclBlock[];
  packer: HclBlock[];
}

/** How many labels each top-level block takes, and what they are called in messages. */
const LABELS: Record<string, string[]> = {
  variable: ['name'],
  variables: [],
  locals: [],
  local: ['name'],
  source: ['type', 'name'],
  build: [],
  data: ['type', 'name'],
  packer: [],
};

/** `block "a" "b"` as written, for messages. */
export function blockTitle(block: HclBlock): string {
  return [block.type, ...block.labels.map((label) => JSON.stringify(label))].join(' ');
}

/** Checks `block` has the labels it should; false (with an issue) when it does not. */
export function checkLabels(block: HclBlock, labels: readonly string[], problems: Problems): boolean {
  if (block.labels.length === labels.length) return true;
  const expected = labels.length === 0 ? 'no labels' : labels.map((label) => `"${label}"`).join(' ');
  problems.add(block.span, `${blockTitle(block)}: a ${block.type} block takes ${expected} (${block.type}${labels.map((l) => ` "${l.toUpperCase()}"`).join('')} { ... })`);
  return false;
}

export function collectTopLevel(files: readonly ParsedFile[], problems: Problems): TemplateBlocks {
  const blocks: TemplateBlocks = { variable: [], variablesAttributes: [], localsAttributes: [], local: [], source: [], build: [], data: [], packer: [] };
  for (const { body } of files) {
    for (const attribute of body.attributes) {
      problems.add(attribute.nameSpan, `unknown top-level attribute "${attribute.name}": a Packer template sets values inside variable, locals, source and build blocks${didYouMean(attribute.name, Object.keys(LABELS))}`, attribute.name);
    }
    for (const block of body.blocks) {
      const labels = Object.hasOwn(LABELS, block.type) ? LABELS[block.type] : undefined;
      if (labels === undefined) {
        problems.add(block.span, `unknown block type "${block.type}"${didYouMean(block.type, Object.keys(LABELS)) || `: known blocks are ${Object.keys(LABELS).join(', ')}`}`, block.type);
        continue;
      }
      if (!checkLabels(block, labels, problems)) continue;
      if (block.type === 'variables') blocks.variablesAttributes.push(...attributesOnly(block, problems));
      else if (block.type === 'locals') blocks.localsAttributes.push(...attributesOnly(block, problems));
      else blocks[block.type as 'variable' | 'local' | 'source' | 'build' | 'data' | 'packer'].push(block);
    }
  }
  return blocks;
}

/** A block whose body holds only `name = value` lines (locals, variables). */
function attributesOnly(block: HclBlock, problems: Problems): HclAttribute[] {
  for (const nested of block.body.blocks) {
    problems.add(nested.span, `${blockTitle(nested)}: a ${block.type} block holds only "name = value" attributes, not blocks`);
  }
  return block.body.attributes;
}
