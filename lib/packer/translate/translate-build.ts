// One evaluated Packer build -> kiln's template document, with the origin of every key
// (so kiln's own checks point into the Packer file), notes for what kiln accepts but does
// differently, and problems for what it cannot honour: all collected, none thrown.
import { formatPath, type Segment } from '../../template/finding.js';
import type { PackerBuild, PackerNote, SourcePos } from '../model.js';
import { applyTable, withoutUnset, type KeyTable } from './key-table.js';
import { inKilnOrder } from './key-order.js';
import { COMMUNICATOR_PATTERNS, translateCommunicator } from './communicator.js';
import { translateOutput } from './output.js';
import { translatePostProcessors } from './post-processors.js';
import { translateProvisioners } from './provisioners.js';
import { QEMU_KEYS, translateQemuSource } from './source-qemu.js';
import { translateSourceFile } from './source-file.js';
import { translateVirtualBoxSource, VIRTUALBOX_KEYS } from './source-virtualbox.js';
import { blockName, Translator } from './translator.js';
import { fillBuildVariables } from './build-variables.js';

export interface Translation {
  /** kiln's template document, keys in kiln's usual order (name, hypervisor, source, machine, http, boot, ssh, provision, shutdown, output, post_process). */
  document: Record<string, unknown>;
  /** Where each kiln key came from: formatPath(path) (lib/template/finding.ts) -> the Packer setting's pos, so kiln's own check errors point into the user's Packer file. */
  origins: Map<string, SourcePos>;
  /** Keys accepted but ignored or approximated, each with what kiln does instead (validate shows them, import writes them as comments). */
  notes: PackerNote[];
  /** Keys that would change the result and that kiln cannot honour, and unknown types: errors. */
  problems: PackerNote[];
}

interface SourceKind {
  keys: KeyTable;
  /** Keys read after the table (they override or depend on others). */
  finish: (t: Translator, build: PackerBuild) => void;
  /** Packer's defaults where kiln's differ and the image would: cpus, memory (MB), disk_size (MB). */
  defaults: { cpus: number; memory: number; disk: number };
}

const SOURCES: Readonly<Record<string, SourceKind>> = {
  qemu: { keys: QEMU_KEYS, finish: (t, build) => translateQemuSource(t, build.source), defaults: { cpus: 1, memory: 512, disk: 40960 } },
  'virtualbox-iso': {
    keys: VIRTUALBOX_KEYS,
    finish: (t, build) => translateVirtualBoxSource(t, build.source),
    defaults: { cpus: 1, memory: 512, disk: 40000 },
  },
};

export function translateBuild(given: PackerBuild): Translation {
  const build: PackerBuild = {
    ...given,
    source: withoutUnset(given.source, ['virtualbox_version_file']),
    provisioners: given.provisioners.map((p) => withoutUnset(p)),
    postProcessors: given.postProcessors.map((chain) => chain.map((p) => withoutUnset(p))),
  };
  const t = new Translator(build);
  const { source } = build;
  const kind = Object.hasOwn(SOURCES, source.type) ? SOURCES[source.type] : undefined;
  if (!kind) {
    t.problem(source.pos, `${blockName(source, 'source')}: kiln builds qemu and virtualbox-iso sources only`);
    return result(t);
  }
  translateOutput(t, build, source);
  translateSourceFile(t, source);
  applyTable(t, source, kind.keys, `${source.type} builder`, [], COMMUNICATOR_PATTERNS);
  translateCommunicator(t, source);
  kind.finish(t, build);
  for (const [key, value] of Object.entries(kind.defaults)) {
    if (t.get(['machine', key]) === undefined) t.set(['machine', key], value, source.pos);
  }
  translateProvisioners(t, build.provisioners);
  translatePostProcessors(t, build.postProcessors);
  fillBuildVariables(t, (path) => originOf(t.origins, path));
  return result(t);
}

function result(t: Translator): Translation {
  return { document: inKilnOrder(t.document), origins: t.origins, notes: t.notes, problems: t.problems };
}

/**
 * Where the value at `path` came from: its own origin, else its nearest ancestor's (a
 * finding about `boot.command[2]` points at boot_command), else undefined.
 */
export function originOf(origins: ReadonlyMap<string, SourcePos>, path: readonly Segment[]): SourcePos | undefined {
  for (let length = path.length; length > 0; length--) {
    const pos = origins.get(formatPath(path.slice(0, length)));
    if (pos) return pos;
  }
  return undefined;
}
