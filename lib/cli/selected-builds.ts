// The builds `kiln build` runs: those of every template given, each named, selected by
// --only/--except. Builds that run at once must not share what they write: two with
// one name or one output directory are refused before anything starts.
import { loadBuilds, type LoadedBuild } from '../builder/load-for-build.js';
import { KilnError } from '../errors.js';
import type { PackerNote } from '../packer/model.js';
import type { BuildArgs } from './args.js';

export interface NamedBuild extends LoadedBuild {
  name: string;
}

export async function loadSelectedBuilds(args: BuildArgs): Promise<{ builds: NamedBuild[]; notes: PackerNote[] }> {
  const builds: NamedBuild[] = [];
  const notes: PackerNote[] = [];
  for (const file of args.files) {
    const loaded = await loadBuilds(file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
    builds.push(...loaded.builds.map((b) => ({ ...b, name: b.name ?? b.template.name })));
    notes.push(...loaded.notes);
  }
  refuseClashes(builds);
  return { builds, notes };
}

/** Two builds with one name, or one output directory, would overwrite each other's files. */
export function refuseClashes(builds: readonly NamedBuild[]): void {
  const clash = (key: (b: NamedBuild) => string) => {
    const seen = new Map<string, NamedBuild>();
    for (const build of builds) {
      const other = seen.get(key(build));
      if (other) return [other, build] as const;
      seen.set(key(build), build);
    }
    return undefined;
  };
  const named = clash((b) => b.name);
  if (named) {
    throw new KilnError('E_USAGE', `two builds are named "${named[0].name}" (${named[0].files[0]} and ${named[1].files[0]})`, {
      hint: 'give the templates different names, or build them one at a time',
    });
  }
  const output = clash((b) => b.template.output.directory);
  if (output) {
    throw new KilnError('E_USAGE', `builds ${output[0].name} and ${output[1].name} both write to ${output[0].template.output.directory}`, {
      hint: 'give each its own output.directory (the default output/{{ .Name }} differs by build name)',
    });
  }
}
