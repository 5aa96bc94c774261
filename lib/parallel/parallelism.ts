// How many builds run at once when --parallel is not given: what the host can carry.
// Pure: the host's facts and the builds' machines in, a number out.
//
// Each running guest keeps about one host core busy per vCPU while it installs, and
// under TCG (no hardware accelerator) every vCPU is a host thread translating code
// flat out. Measured on a 2-core host with TCG (docs/matrix.md): two fixture builds at
// once take longer in wall time than one after the other, so the core count, not a
// guess, is the limit there. Memory: the guests' RAM must fit in what the host has
// free, with a quarter of it left to the host (page cache, qemu-img, kiln itself).

export interface HostCapacity {
  cpus: number;
  freeMemoryMib: number;
  /** KVM, HVF, WHPX or VirtualBox's own: guests run at near native speed. */
  hardwareAccel: boolean;
}

export interface BuildMachine {
  cpus: number;
  memory_mib: number;
}

export function defaultParallelism(host: HostCapacity, machines: readonly BuildMachine[]): number {
  if (machines.length === 0) return 1;
  const guestCpus = Math.max(...machines.map((m) => m.cpus));
  const guestMemory = Math.max(...machines.map((m) => m.memory_mib));
  // Hardware-accelerated guests idle on I/O often enough to share a core each.
  const cpuShare = host.hardwareAccel ? Math.max(1, Math.ceil(guestCpus / 2)) : guestCpus;
  const byCpus = Math.floor(host.cpus / cpuShare);
  const byMemory = Math.floor((host.freeMemoryMib * 0.75) / guestMemory);
  return Math.max(1, Math.min(byCpus, byMemory, machines.length));
}
