// A hypervisor, as the build sees it before a VM exists (lima's pkg/driver): what it
// cannot build of a valid template (answered at validation, before anything starts),
// what it can do (capabilities the step list is built from), and how it starts a VM
// from a launch description that says nothing about any one hypervisor.
import type { Issue } from '../errors.js';
import type { Log } from '../log/log.js';
import type { Template } from '../template/types.js';
import type { BuildVm, VmDisk } from './build-vm.js';

export interface Driver {
  readonly name: Template['hypervisor'];
  /** 'QEMU' or 'VirtualBox', for messages. */
  readonly label: string;
  /** Valid templates this driver (on this host) cannot build, as issues with their key paths. */
  unsupported(template: Template): Issue[];
  /** Whether its VMs take live disk snapshots, so a build can checkpoint into and resume from the stage cache. */
  readonly resumable: boolean;
  /** Whether kiln makes the build disk (QEMU); VirtualBox creates its VDI when it defines the VM. */
  readonly usesBuildDisk: boolean;
  start(launch: VmLaunch, signal: AbortSignal): Promise<BuildVm>;
}

export interface VmLaunch {
  /** The template's name: VM names derive from it. */
  name: string;
  machine: Template['machine'];
  /** The build's scratch dir (EFI vars, a VirtualBox VM's folder). */
  workDir: string;
  /** Where the guest's serial console is written (serial.log in the output dir). */
  serialLog: string;
  /** The disk kiln made (drivers with usesBuildDisk). */
  disk?: VmDisk;
  /** The installer ISO to boot from once; none when the disk boots by itself. */
  installer?: string;
  /** More CDs: the template's cd, a CIDATA seed. */
  extraCdroms: string[];
  /** A floppy image (the template's floppy). */
  floppy?: string;
  /** SMBIOS serial for the guest (cloud-init's NoCloud seed URL). */
  smbiosSerial?: string;
  /** UEFI NVRAM to start from (a resumed build's, from the cache). */
  efiVars?: string;
  /** The guest's SSH port to forward to a free port on 127.0.0.1; none with `ssh: none`. */
  sshGuestPort?: number;
  /**
   * A saved machine state to restore instead of booting (BuildVm.saveState made it);
   * drivers without the capability boot. A state that does not fit this machine is not
   * loaded: the VM boots its disk and BuildVm.restore says why.
   */
  restore?: SavedStateLaunch;
  log: Log;
}

export interface SavedStateLaunch {
  /** The state file, its checksum already verified. */
  state: string;
  fingerprint: Record<string, string>;
  /** The installer ISO, attached again when the saved machine had it in its CD drive. */
  installer?: string;
}
