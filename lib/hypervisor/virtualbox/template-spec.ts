// The VirtualBox VM a template asks for, as a pure function: the machine section mapped
// onto a VmSpec, with what only the build knows (the unique name, folders, ports,
// the installer ISO) passed in.
import { join } from 'node:path';
import type { Template } from '../../template/types.js';
import { VM_DEFAULTS, type VmSpec } from './spec.js';

export interface VmPlacement {
  /** Unique per build (uniqueVmName). */
  name: string;
  /** createvm --basefolder: the VM's folder, and its disk, go inside. */
  baseFolder: string;
  /** The installer ISO; none when the disk is installed already. */
  iso?: string;
  /** 127.0.0.1 port forwarded to the guest's SSH port; none with `ssh: none`. */
  sshHostPort?: number;
  serialLog: string;
}

const MIB = 1024 * 1024;

export function vmSpecFromTemplate(template: Pick<Template, 'name' | 'machine'> & { ssh: { port: number } | null }, placement: VmPlacement): VmSpec {
  const { machine } = template;
  const vbox = machine.virtualbox;
  return {
    name: placement.name,
    osType: vbox.os_type,
    baseFolder: placement.baseFolder,
    cpus: machine.cpus,
    memoryMiB: machine.memory_mib,
    firmware: machine.firmware,
    chipset: vbox.chipset,
    graphics: vbox.graphics,
    vramMiB: VM_DEFAULTS.vramMiB,
    nicType: vbox.nic_type,
    ...(placement.sshHostPort !== undefined && template.ssh ? { sshForward: { hostPort: placement.sshHostPort, guestPort: template.ssh.port } } : {}),
    serialLog: placement.serialLog,
    disk: {
      // Inside the VM's own folder, so `unregistervm --delete` takes it along.
      path: join(placement.baseFolder, placement.name, `${template.name}.vdi`),
      sizeMiB: Math.ceil(machine.disk_bytes / MIB),
      interface: vbox.disk_interface,
    },
    ...(placement.iso ? { iso: placement.iso } : {}),
    modifyvm: vbox.modifyvm,
  };
}
