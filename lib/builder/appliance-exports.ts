// Exports made by the hypervisor itself (the `appliance` capability: VirtualBox's
// `VBoxManage export`), so they describe the VM that was built (its controllers, NIC,
// OS type) rather than kiln's generic OVF. They run after shutdown and before start-vm's
// cleanup disposes of the VM.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeApplianceBox } from '../export/box.js';
import type { BoxJob } from '../export/plan.js';
import type { ApplianceExport } from '../hypervisor/build-vm.js';
import { hashFile } from '../util/hash-file.js';
import type { ExportedFile } from './context.js';

/** NAME.ova through the hypervisor's export, with a manifest of digests inside. */
export async function exportApplianceOva(
  appliance: ApplianceExport,
  target: { outputDir: string; file: string; name: string },
  signal: AbortSignal,
): Promise<ExportedFile> {
  const path = join(target.outputDir, target.file);
  await appliance.export({ output: path, manifest: true, vmName: target.name }, signal);
  return { file: target.file, format: 'ova', bytes: (await stat(path)).size, sha256: await hashFile(path, 'sha256', signal) };
}

/** NAME.virtualbox.box: the hypervisor's OVF export of the VM, metadata.json and a Vagrantfile. */
export async function writeApplianceVagrantBox(
  appliance: ApplianceExport,
  box: { job: BoxJob; outputDir: string; workDir: string; name: string; compression: number; vagrantfile?: string },
  signal: AbortSignal,
  onProgress: (percent: number) => void,
): Promise<{ bytes: number; sha256: string }> {
  const scratch = await mkdtemp(join(box.workDir, 'box-'));
  try {
    // box.ovf names its disk box-disk001.vmdk, the name Vagrant's own packager produces.
    const files = await appliance.export({ output: join(scratch, 'box.ovf'), vmName: box.name }, signal);
    return await writeApplianceBox({
      destination: join(box.outputDir, box.job.file),
      name: box.name,
      appliance: files,
      baseMac: await appliance.baseMac(signal),
      compression: box.compression,
      vagrantfile: box.vagrantfile,
      mtime: Math.floor(Date.now() / 1000),
      signal,
      onProgress,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
