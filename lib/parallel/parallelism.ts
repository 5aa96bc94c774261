// How many builds run at once when --parallel is not given: what the host can carry.
// Pure: the host's facts and the builds' machines in, a number out.
//
// CPU: half a host core per guest vCPU. A build's guest is busy only part of the time
// (boot waits, SSH polling, shutdown, qemu-img exports on the host are mostly waiting),
// even under TCG: measured on a 2-core host without KVM (docs/matrix.md), two fixture
// builds with 2 vCPUs each take 42.5 s at once against 80.7 s one after the other.
// Memory: the guests' RAM must fit in three quarters of what the host has free (the
// rest for the page cache, qemu-img and kiln itself).

export interface HostCapacity {
  cpus: number;
  freeMemoryMib: number;
}

export interface BuildMachine {
  cpus: number;
  memory_mib: number;
}

export function defaultParallelism(host: HostCapacity, machines: readonly BuildMachine[]): number {
  if (machines.length === 0) return 1;
  const guestCpus = Math.max(...machines.map((m) => m.cpus));
  const guestMemory = Math.max(...machines.map((m) => m.memory_mib));
  const byCpus = Math.floor(host.cpus / Math.max(1, Math.ceil(guestCpus / 2)));
  const byMemory = Math.floor((host.freeMemoryMib * 0.75) / guestMemory);
  return Math.max(1, Math.min(byCpus, byMemory, machines.length));
}
