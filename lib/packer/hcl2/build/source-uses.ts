// What a build block builds: each source it names in `sources = [...]`, then each
// nested `source "type.name" { name = ..., overrides }` block, in that order (Packer's).
import { didYouMean } from '../../../util/did-you-mean.js';
import type { HclBlock, Span } from '../hcl.js';
import type { Problems } from '../problems.js';
import { evaluateIn, type Scope } from '../scope.js';
import type { SourceDefinition } from '../sources.js';
import { isStringList } from '../settings.js';

export interface SourceUse {
  definition: SourceDefinition;
  /** The source's name in this build: its label, or the nested block's `name`. */
  name: string;
  /** The nested source block whose settings are merged over the source's. */
  overrides?: HclBlock;
  span: Span;
}

/** "source.qemu.vm" or "qemu.vm", as written in sources lists and nested source labels. */
export function sourceKey(reference: string): string {
  return reference.startsWith('source.') ? reference.slice('source.'.length) : reference;
}

function lookUp(reference: string, sources: ReadonlyMap<string, SourceDefinition>, span: Span, problems: Problems): SourceDefinition | undefined {
  const definition = sources.get(sourceKey(reference));
  if (definition === undefined) {
    const names = [...sources.keys()];
    const suggestion = didYouMean(sourceKey(reference), names, (s) => `"source.${s}"`);
    problems.add(span, `unknown source "${reference}"${suggestion || (names.length > 0 ? `: the template defines ${names.map((n) => `source.${n}`).join(', ')}` : ': the template defines no source blocks')}`);
  }
  return definition;
}

export function sourceUses(block: HclBlock, scope: Scope, sources: ReadonlyMap<string, SourceDefinition>, problems: Problems): SourceUse[] {
  const uses: SourceUse[] = [];
  const listed = block.body.attributes.find((a) => a.name === 'sources');
  if (listed !== undefined) {
    try {
      const references = evaluateIn(scope, listed.expr);
      if (!isStringList(references)) problems.add(listed.expr.span, 'build: sources must be a list of strings, like ["source.qemu.vm"]', 'build.sources');
      else {
        for (const reference of references) {
          const definition = lookUp(reference, sources, listed.expr.span, problems);
          if (definition !== undefined) uses.push({ definition, name: definition.name, span: listed.expr.span });
        }
      }
    } catch (error) {
      problems.addError(error, 'build.sources');
    }
  }
  for (const nested of block.body.blocks) {
    if (nested.type !== 'source') continue;
    if (nested.labels.length !== 1) {
      problems.add(nested.span, 'a source block inside a build takes one label, the source it uses: source "source.qemu.vm" { ... }');
      continue;
    }
    const definition = lookUp(nested.labels[0] as string, sources, nested.span, problems);
    if (definition === undefined) continue;
    const rename = nested.body.attributes.find((a) => a.name === 'name');
    let name = definition.name;
    if (rename !== undefined) {
      try {
        const value = evaluateIn(scope, rename.expr);
        if (typeof value === 'string' && value !== '') name = value;
        else problems.add(rename.expr.span, 'name in a build\'s source block must be a non-empty string', 'build.source.name');
      } catch (error) {
        problems.addError(error, 'build.source.name');
      }
    }
    uses.push({ definition, name, overrides: nested, span: nested.span });
  }
  checkDuplicates(uses, problems);
  return uses;
}

/** Two uses of one source under the same name would be two builds Packer cannot tell apart. */
function checkDuplicates(uses: readonly SourceUse[], problems: Problems): void {
  const seen = new Set<string>();
  for (const use of uses) {
    const key = `${use.definition.type}.${use.name}`;
    if (seen.has(key)) problems.add(use.span, `this build uses source ${key} twice; give one of the uses another name (source "source.${use.definition.type}.${use.definition.name}" { name = "other" })`);
    seen.add(key);
  }
}
