// A VirtualBox build's OVA and Vagrant box come from VirtualBox itself (`VBoxManage
// export`), so they describe the VM that was built (its controllers, NIC, OS type)
// rather than kiln's generic OVF. They run after shutdown and before the start step's
// cleanup unregisters the VM.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeApplianceBox } from '../../export/box.js';
import type { BoxJob } from '../../export/plan.js';
import type { VirtualBoxVm } from '../../hypervisor/virtualbox/vm.js';
import { hashFile } from '../../util/hash-file.js';
import type { BuildContext, ExportedFile } from '../context.js';
import { need } from '../context.js';

/** The VirtualBox VM of this build, when it is one. */
export function virtualBoxVmOf(ctx: BuildContext): VirtualBoxVm | undefined {
  return ctx.vm?.kind === 'virtualbox' ? ctx.vm.driver : undefined;
}

/** NAME.ova through `VBoxManage export`, with a manifest of digests inside. */
export async function exportVirtualBoxOva(ctx: BuildContext, vm: VirtualBoxVm, file: string, signal: AbortSignal): Promise<ExportedFile> {
  const path = join(ctx.outputDir, file);
  await vm.exportAppliance({ output: path, manifest: true, vmName: ctx.template.name }, signal);
  return { file, format: 'ova', bytes: (await stat(path)).size, sha256: await hashFile(path, 'sha256', signal) };
}

/** NAME.virtualbox.box: VirtualBox's OVF export of the VM, metadata.json and a Vagrantfile. */
export async function writeVirtualBoxBox(
  ctx: BuildContext,
  vm: VirtualBoxVm,
  job: BoxJob,
  extra: { vagrantfile?: string; signal: AbortSignal; onProgress: (percent: number) => void },
): Promise<{ bytes: number; sha256: string }> {
  const { signal } = extra;
  const vagrant = need(ctx.template.output.vagrant, 'output.vagrant');
  const scratch = await mkdtemp(join(need(ctx.workDir, 'workDir'), 'box-'));
  try {
    // box.ovf names its disk box-disk001.vmdk, the name Vagrant's own packager produces.
    const appliance = await vm.exportAppliance({ output: join(scratch, 'box.ovf'), vmName: ctx.template.name }, signal);
    const mac = (await vm.info(signal)).get('macaddress1');
    if (!mac) throw new Error(`internal: VirtualBox reported no MAC address for NIC 1 of ${vm.name}`);
    return await writeApplianceBox({
      destination: join(ctx.outputDir, job.file),
      name: ctx.template.name,
      appliance,
      baseMac: mac,
      compression: vagrant.compression,
      vagrantfile: extra.vagrantfile,
      mtime: Math.floor(Date.now() / 1000),
      signal,
      onProgress: extra.onProgress,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
