// `VBoxManage export` into a scratch folder beside the target, then renamed into place:
// a reader never sees half an appliance under its final name, and an interrupted export
// leaves nothing behind. An OVF's disks are named after it (box.ovf -> box-disk001.vmdk)
// and referenced by those names, so the export runs with the final file name.

import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { exportArgs, type ExportOptions } from './control-argv.js';
import type { VBoxManage } from './run.js';

/** Exports a stopped VM; returns the files written (the .ova, or the .ovf first and its disks). */
export async function exportAppliance(vbox: VBoxManage, vmName: string, options: ExportOptions, signal?: AbortSignal): Promise<string[]> {
  const target = resolve(options.output);
  const dir = dirname(target);
  const scratch = await mkdtemp(join(dir, '.kiln-export-'));
  try {
    await vbox.run(exportArgs(vmName, { ...options, output: join(scratch, basename(target)) }), { signal, timeoutMs: 60 * 60_000 });
    const made = (await readdir(scratch)).sort((a, b) => Number(b === basename(target)) - Number(a === basename(target)));
    // Disks first and the descriptor last, so a complete .ovf means a complete set.
    for (const file of [...made].reverse()) await rename(join(scratch, file), join(dir, file));
    return made.map((file) => join(dir, file));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
