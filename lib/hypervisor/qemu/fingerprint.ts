// What a saved machine state depends on: QEMU loads a state only into the machine that
// saved it (same version, board, accelerator, CPU, memory, devices, firmware) and
// otherwise fails or, worse, runs a guest that no longer fits its hardware. The
// fingerprint is recorded with the state and compared before a restore; every field
// that differs is a reason to boot the disk instead. Pure.
import type { QemuArgvInput } from './argv.js';
import { cpuModelFor } from './argv.js';

/** Field name -> value, as stored in the layer record (an opaque mapping to the cache). */
export type MachineFingerprint = Record<string, string>;

/** How messages name each field. */
const FIELDS: Record<string, string> = {
  qemu: 'QEMU version',
  machine: 'machine type',
  accelerator: 'accelerator',
  cpu: 'CPU model',
  cpus: 'CPU count',
  memory: 'memory size',
  firmware: 'firmware',
  disk: 'disk interface',
  nic: 'network device',
  installer_cd: 'installer CD drive',
  cds: 'other CD drives',
  floppy: 'floppy drive',
  args: 'machine.qemu.args',
};

/** The fingerprint of the machine `input` describes, run by QEMU `qemuVersion` (QMP query-version). */
export function machineFingerprint(input: QemuArgvInput, qemuVersion: string): MachineFingerprint {
  const { machine } = input;
  return {
    qemu: qemuVersion,
    machine: machine.qemu.machine,
    accelerator: input.accel,
    cpu: input.cpuModel ?? cpuModelFor(input.accel, input.cpuLevel),
    cpus: String(machine.cpus),
    memory: `${machine.memory_mib} MiB`,
    // The OVMF build, by its file: another build's code would meet this one's NVRAM layout.
    firmware: machine.firmware === 'efi' ? `efi ${input.efi?.code ?? ''}` : 'bios',
    disk: input.disk.interface ?? 'virtio',
    nic: input.nicModel ?? 'virtio-net-pci',
    installer_cd: input.cdrom !== undefined ? 'attached' : 'none',
    cds: String(input.extraCdroms?.length ?? 0),
    floppy: input.floppy !== undefined ? 'attached' : 'none',
    args: JSON.stringify(machine.qemu.args),
  };
}

/** Why a state saved on `saved` cannot be loaded into `current`: one reason per differing field; empty when they match. */
export function fingerprintMismatches(saved: MachineFingerprint, current: MachineFingerprint): string[] {
  const names = [...new Set([...Object.keys(saved), ...Object.keys(current)])];
  return names
    .filter((name) => saved[name] !== current[name])
    .map((name) => `${FIELDS[name] ?? name}: saved with ${saved[name] ?? 'nothing'}, this build has ${current[name] ?? 'nothing'}`);
}
