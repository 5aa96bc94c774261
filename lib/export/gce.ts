// A Compute Engine image import archive: one member named disk.raw in a gzipped
// old-GNU tar, the raw disk's size a whole number of GiB (GCE's documented
// requirements). The raw disk is packed sparse, so only its data is read and compressed;
// the rounding to GiB is a trailing hole, the raw file itself is left as it is.
import { stat } from 'node:fs/promises';
import { runQemuImg } from '../hypervisor/qemu/qemu-img.js';
import { GIB } from '../util/size.js';
import { roundUp } from './convert-args.js';
import { sparseFileEntry, type DataExtent } from './gnu-sparse.js';
import { packToFile, percentReporter, type PackedFile } from './pack-to-file.js';
import { tarStream } from './tar-stream.js';

export const GCE_MEMBER = 'disk.raw';

export interface GceArchiveInput {
  destination: string;
  /** A raw disk image. */
  raw: string;
  /** Seconds since the epoch, for the member. */
  mtime: number;
  /** gzip level; default 6. */
  gzipLevel?: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
}

export interface GceArchive extends PackedFile {
  /** disk.raw's size in the archive: the raw image's, rounded up to a whole GiB. */
  diskBytes: number;
}

export async function writeGceArchive(input: GceArchiveInput): Promise<GceArchive> {
  const { signal } = input;
  const diskBytes = roundUp((await stat(input.raw)).size, GIB);
  const extents = await dataExtents(input.raw, signal);
  const dataBytes = extents.reduce((sum, e) => sum + e.length, 0);
  const entry = sparseFileEntry(GCE_MEMBER, input.raw, diskBytes, extents, input.mtime);
  const packed = await packToFile(
    input.destination,
    tarStream([entry], { mtime: input.mtime, onContent: percentReporter(dataBytes, input.onProgress) }),
    { gzipLevel: input.gzipLevel ?? 6, signal },
  );
  return { ...packed, diskBytes };
}

/** Where a raw image holds data (qemu-img map asks the host file system for its holes), adjacent runs merged. */
export async function dataExtents(raw: string, signal?: AbortSignal): Promise<DataExtent[]> {
  const result = await runQemuImg(['map', '-f', 'raw', '--output=json', raw], `mapping the data of ${raw}`, signal ? { signal } : {});
  const regions = JSON.parse(String(result.stdout)) as { start: number; length: number; data: boolean }[];
  const extents: DataExtent[] = [];
  for (const region of regions) {
    if (!region.data) continue;
    const last = extents.at(-1);
    if (last && last.offset + last.length === region.start) last.length += region.length;
    else extents.push({ offset: region.start, length: region.length });
  }
  return extents;
}
