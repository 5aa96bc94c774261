// How much data a disk image really holds, through its whole backing chain: the bytes
// `qemu-img map` reports as data that is not zero. This is what a conversion copies,
// whatever the layering (the stage cache stacks overlays) or the host file's holes.
import { runQemuImg } from '../hypervisor/qemu/qemu-img.js';

interface MapExtent {
  length: number;
  data: boolean;
  zero: boolean;
}

/** Sums the extents that hold data; pure, for the JSON `qemu-img map` prints. */
export function dataBytesOfMap(extents: MapExtent[]): number {
  return extents.reduce((sum, e) => (e.data && !e.zero ? sum + e.length : sum), 0);
}

export async function imageDataBytes(path: string, signal?: AbortSignal): Promise<number> {
  // -U: readable while the running VM holds the image's lock.
  const result = await runQemuImg(['map', '-U', '--output=json', path], `mapping ${path}`, { signal });
  return dataBytesOfMap(JSON.parse(String(result.stdout)) as MapExtent[]);
}
