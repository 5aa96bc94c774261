// export (VBoxManageAppliance.cpp, ApplianceImplExport.cpp): an OVA (tar: the OVF
// first, then the disks, then the manifest) or an OVF with its files beside it.
// The disks are the fake's placeholder files, not real stream-optimized VMDKs.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { getoptExit, requireVm, type Ctx } from './context.js';
import { EXPORT_OPTIONS } from './grammar.js';
import { USAGE } from './usage.js';
import { getopt } from './getopt.js';
import { comError, PROGRESS, syntaxError } from './output.js';
import type { FakeVm } from './state.js';

export function exportAppliance(ctx: Ctx, args: string[]): void {
  const machines: string[] = [];
  const o: Record<string, string | true> = {};
  try {
    for (const a of getopt(args, EXPORT_OPTIONS, ctx.version.number)) {
      if ('positional' in a) machines.push(...a.positional.split(','));
      else o[a.option.def.key] = a.option.value ?? true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.export!, error);
  }
  if (machines.length === 0) throw syntaxError(ctx.version, USAGE.export!, 'At least one machine must be specified with the export command.');
  if (typeof o.output !== 'string') throw syntaxError(ctx.version, USAGE.export!, 'Missing --output argument with export command.');
  const vms = machines.map((m) => requireVm(ctx, m, 'VBoxManageAppliance.cpp'));
  const appliance = { component: 'ApplianceWrap', iface: 'IAppliance', file: 'VBoxManageAppliance.cpp' };
  const output = o.output;
  if (!/\.(ovf|ova)$/i.test(output)) {
    throw comError({ ...appliance, result: 'VBOX_E_FILE_ERROR', message: 'Appliance file must have .ovf or .ova extension', context: 'Write(Bstr(strOvfFormat).raw(), ComSafeArrayAsInParam(options), Bstr(pszAbsFilePath).raw(), progress.asOutParam())' });
  }
  // Not verified against VirtualBox: the fake refuses to copy the disk of a running guest.
  const running = vms.find((vm) => vm.state === 'running' || vm.state === 'paused');
  if (running) throw comError({ ...appliance, result: 'VBOX_E_INVALID_VM_STATE', message: `Cannot export the machine '${running.name}' while it is running`, context: 'ExportTo(pAppliance, Bstr(pszAbsFilePath).raw(), pVirtualSystemDescription.asOutParam())' });
  const stem = basename(output).replace(/\.(ovf|ova)$/i, '');
  const vm = vms[0]!;
  const disks = vm.attachments.filter((a) => a.type === 'hdd' && a.medium);
  const files: [string, Buffer][] = [];
  const diskNames = disks.map((_, i) => `${stem}-disk${String(i + 1).padStart(3, '0')}.vmdk`);
  files.push([`${stem}.ovf`, Buffer.from(ovf(vm, typeof o.vmname === 'string' ? o.vmname : vm.name, diskNames))]);
  disks.forEach((d, i) => files.push([diskNames[i]!, Buffer.concat([Buffer.from(`FAKE-VMDK streamOptimized from ${d.medium}\n`), readFileSync(d.medium)])]));
  if (o.manifest || (typeof o.options === 'string' && o.options.split(',').includes('manifest'))) {
    const algo = o.ovf20 ? 'SHA256' : 'SHA1';
    files.push([`${stem}.mf`, Buffer.from(files.map(([n, b]) => `${algo} (${n}) = ${createHash(algo.toLowerCase()).update(b).digest('hex')}\n`).join(''))]);
  }
  if (/\.ova$/i.test(output)) {
    const staging = mkdtempSync(join(dirname(output), '.fake-ova-'));
    try {
      for (const [n, b] of files) writeFileSync(join(staging, n), b);
      const { create: createTar } = createRequire(import.meta.url)('tar') as typeof import('tar');
      createTar({ file: output, cwd: staging, sync: true, portable: true }, files.map(([n]) => n));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } else {
    for (const [n, b] of files) writeFileSync(join(dirname(output), n), b);
  }
  ctx.stdout += `${PROGRESS}Successfully exported ${vms.length} machine(s).\n`;
}

function ovf(vm: FakeVm, name: string, disks: string[]): string {
  const refs = disks.map((d, i) => `    <File ovf:id="file${i + 1}" ovf:href="${d}"/>`).join('\n');
  const diskSection = disks.map((_, i) => `    <Disk ovf:capacity="1" ovf:diskId="vmdisk${i + 1}" ovf:fileRef="file${i + 1}" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>`).join('\n');
  return `<?xml version="1.0"?>
<Envelope ovf:version="1.0" xml:lang="en-US" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:vbox="http://www.virtualbox.org/ovf/machine">
  <References>
${refs}
  </References>
  <DiskSection>
    <Info>List of the virtual disks used in the package</Info>
${diskSection}
  </DiskSection>
  <VirtualSystem ovf:id="${name}">
    <Info>A virtual machine</Info>
    <vbox:Machine ovf:required="false" uuid="{${vm.uuid}}" name="${name}" OSType="${vm.ostype}"/>
  </VirtualSystem>
</Envelope>
`;
}
