// -only and -except as Packer applies them to HCL2 templates: each pattern is a glob
// matched against the build's full name ("<build name>.<type>.<name>", or "<type>.<name>"
// when the build block has no name), before the build's source and provisioners are
// evaluated, so that a build left out cannot fail the others (Packer's order too).
// -except also drops a post-processor whose name (or type) matches, with the rest of its
// chain. kiln also takes the "source." spelling ("source.qemu.vm"), and a pattern that
// matches nothing is an error listing the builds.
import type { PluginConfig } from '../model.js';
import { globMatches, globProblem } from '../build-name-glob.js';
import type { Problems } from './problems.js';

/** The name -only and -except match: Packer prefixes the build block's name. */
export function fullName(buildName: string | undefined, name: string): string {
  return buildName === undefined ? name : `${buildName}.${name}`;
}

const normalise = (pattern: string): string => (pattern.startsWith('source.') ? pattern.slice('source.'.length) : pattern);

export class BuildSelection {
  private readonly matched = new Set<string>();
  private readonly names: string[] = [];

  constructor(
    private readonly only: readonly string[],
    private readonly except: readonly string[],
  ) {}

  /** Whether the build named `name` (its full name) is built. */
  includes(name: string): boolean {
    this.names.push(name);
    if (this.only.length > 0 && !this.only.some((pattern) => this.matches(pattern, name))) return false;
    return !this.except.some((pattern) => this.matches(pattern, name));
  }

  /** Post-processor chains with -except applied: a chain stops at the first excepted post-processor. */
  keptChains(chains: readonly PluginConfig[][]): PluginConfig[][] {
    if (this.except.length === 0) return [...chains];
    const kept: PluginConfig[][] = [];
    for (const chain of chains) {
      const stop = chain.findIndex((plugin) => this.except.some((pattern) => this.matches(pattern, plugin.name ?? plugin.type)));
      const rest = stop < 0 ? chain : chain.slice(0, stop);
      if (rest.length > 0) kept.push(rest);
    }
    return kept;
  }

  /** Every pattern that matched no build (nor, for -except, a post-processor). */
  reportUnmatched(problems: Problems): void {
    for (const [flag, patterns] of [['-only', this.only], ['-except', this.except]] as const) {
      for (const pattern of patterns) {
        if (this.matched.has(pattern)) continue;
        const malformed = globProblem(normalise(pattern));
        if (malformed) {
          problems.add(undefined, `${flag} ${pattern}: ${malformed}`, flag.slice(1));
          continue;
        }
        const builds = this.names.length > 0 ? `; the builds are ${this.names.join(', ')}` : ' (the template has no builds)';
        problems.add(undefined, `${flag} ${pattern}: matches no build${builds}`, flag.slice(1));
      }
    }
  }

  private matches(pattern: string, name: string): boolean {
    const hit = globMatches(normalise(pattern), name);
    if (hit) this.matched.add(pattern);
    return hit;
  }
}
