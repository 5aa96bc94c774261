// -only and -except as Packer applies them to HCL2 templates: each pattern is a glob
// matched against the build's full name ("<build name>.<type>.<name>", or "<type>.<name>"
// when the build block has no name); -except also drops a post-processor whose name
// (or type) matches, with the rest of its chain. kiln also takes the "source." spelling
// of a source ("source.qemu.vm"), and a pattern that matches nothing is an error.
import type { PackerBuild } from '../model.js';
import type { ExpandedBuild } from './build/expand-build.js';
import { globMatches } from './glob.js';
import type { Problems } from './problems.js';

/** The name -only and -except match: Packer prefixes the build block's name. */
export function fullName(build: PackerBuild): string {
  return build.buildName === undefined ? build.name : `${build.buildName}.${build.name}`;
}

const normalise = (pattern: string): string => (pattern.startsWith('source.') ? pattern.slice('source.'.length) : pattern);

export function selectBuilds(expanded: readonly ExpandedBuild[], only: readonly string[], except: readonly string[], problems: Problems): PackerBuild[] {
  const names = expanded.map(({ build }) => fullName(build));
  const matched = new Set<string>();
  const matches = (pattern: string, name: string): boolean => {
    const hit = globMatches(normalise(pattern), name);
    if (hit) matched.add(pattern);
    return hit;
  };
  const selected: PackerBuild[] = [];
  for (const { build, postProcessorNames } of expanded) {
    const name = fullName(build);
    if (only.length > 0 && !only.some((pattern) => matches(pattern, name))) continue;
    if (except.some((pattern) => matches(pattern, name))) continue;
    selected.push({ ...build, postProcessors: withoutExcepted(build, postProcessorNames, except, matches) });
  }
  for (const [flag, patterns] of [['-only', only], ['-except', except]] as const) {
    for (const pattern of patterns) {
      if (matched.has(pattern)) continue;
      problems.add(undefined, `${flag} ${pattern}: matches no build${names.length > 0 ? `; the builds are ${names.join(', ')}` : ' (the template has no builds)'}`, flag.slice(1));
    }
  }
  return selected;
}

/** Post-processor chains with -except applied: a chain stops at the first excepted post-processor. */
function withoutExcepted(build: PackerBuild, names: readonly string[][], except: readonly string[], matches: (pattern: string, name: string) => boolean): PackerBuild['postProcessors'] {
  if (except.length === 0) return build.postProcessors;
  const chains: PackerBuild['postProcessors'] = [];
  build.postProcessors.forEach((chain, index) => {
    const chainNames = names[index] ?? [];
    const stop = chainNames.findIndex((name) => except.some((pattern) => matches(pattern, name)));
    const kept = stop < 0 ? chain : chain.slice(0, stop);
    if (kept.length > 0) chains.push(kept);
  });
  return chains;
}
