// `kiln inspect` (like `packer inspect`): what a Packer template declares and what the
// selected builds resolve to, as text. Sensitive values are masked: a variable marked
// sensitive shows <sensitive>, and a setting that holds one shows it masked.
import { Masker } from '../../log/mask.js';
import type { PackerTemplate, PackerValue, PluginConfig } from '../model.js';

export function formatInspect(template: PackerTemplate, path: string): string {
  const masker = new Masker([...new Set(template.builds.flatMap((b) => b.sensitive))]);
  const show = (value: PackerValue) => masker.mask(JSON.stringify(value));
  const lines = [`Packer template: ${path}`, '', 'Variables:'];
  if (template.variables.length === 0) lines.push('  (none)');
  for (const v of template.variables) lines.push(`  var.${v.name} = ${v.sensitive ? '<sensitive>' : show(v.value)}${v.description ? `  # ${v.description}` : ''}`);
  lines.push('', 'Builds:');
  if (template.builds.length === 0) lines.push('  (none selected)');
  for (const build of template.builds) {
    lines.push(`  ${build.name}${build.buildName ? ` (build "${build.buildName}")` : ''}: source ${build.source.type}`);
    for (const [key, setting] of Object.entries(build.source.settings)) lines.push(`    ${key} = ${show(setting.value)}`);
    lines.push(`    provisioners: ${build.provisioners.length === 0 ? '(none)' : ''}`);
    for (const p of build.provisioners) lines.push(`      ${describe(p)}`);
    lines.push(`    post-processors: ${build.postProcessors.length === 0 ? '(none)' : ''}`);
    for (const chain of build.postProcessors) lines.push(`      ${chain.map(describe).join(' -> ')}`);
  }
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

const describe = (p: PluginConfig): string => `${p.type}${p.name ? ` "${p.name}"` : ''} (${p.pos.file}:${p.pos.line})`;
