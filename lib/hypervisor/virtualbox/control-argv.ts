// VBoxManage command lines for a running VM and for export, as pure functions.

export const acpiPowerButtonArgs = (vmName: string): string[] => ['controlvm', vmName, 'acpipowerbutton'];
export const powerOffArgs = (vmName: string): string[] => ['controlvm', vmName, 'poweroff'];
export const screenshotPngArgs = (vmName: string, path: string): string[] => ['controlvm', vmName, 'screenshotpng', path];

/** Scancode bytes as VBoxManage wants them: two hex digits each, one argument per byte. */
export function keyboardPutScancodeArgs(vmName: string, bytes: readonly string[]): string[] {
  for (const b of bytes) {
    if (!/^[0-9a-f]{2}$/i.test(b)) throw new Error(`internal: "${b}" is not a scancode byte`);
  }
  return ['controlvm', vmName, 'keyboardputscancode', ...bytes];
}

export type ApplianceFormat = 'ova' | 'ovf';

export interface ExportOptions {
  /** .ova (one tar) or .ovf (descriptor plus NAME-disk001.vmdk beside it, what a Vagrant box holds). */
  output: string;
  /** Adds NAME.mf with the files' digests. */
  manifest?: boolean;
  /** Names the virtual system inside the appliance (default: the VM's name). */
  vmName?: string;
}

/** OVF 1.0: what Vagrant and most importers read. The extension picks OVA or OVF. */
export function exportArgs(vmName: string, options: ExportOptions): string[] {
  if (!/\.(ova|ovf)$/i.test(options.output)) {
    throw new Error(`internal: export target ${options.output} must end in .ova or .ovf`);
  }
  return [
    'export',
    vmName,
    '--output',
    options.output,
    '--ovf10',
    ...(options.manifest ? ['--manifest'] : []),
    ...(options.vmName ? ['--vsys', '0', '--vmname', options.vmName] : []),
  ];
}
