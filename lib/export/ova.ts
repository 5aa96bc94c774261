// An OVA: a ustar archive of the OVF descriptor (first, as OVF requires), the
// streamOptimized disk, and the manifest of both files' SHA-256 (last). The disk is
// hashed while it is packed, so it is read exactly once.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { macFor, ovfDescriptor, ovfManifest } from './ovf.js';
import { packToFile, percentReporter, type PackedFile } from './pack-to-file.js';
import { bufferEntry, fileEntry, tarStream, type TarEntry } from './tar-stream.js';

export interface OvaInput {
  destination: string;
  /** The template name: names the members (NAME.ovf, NAME-disk001.vmdk, NAME.mf) and the VM. */
  name: string;
  /** A streamOptimized VMDK. */
  disk: string;
  /** Bytes the guest sees. */
  capacityBytes: number;
  machine: { cpus: number; memoryMiB: number; osType: string };
  /** Seconds since the epoch, for the members. */
  mtime: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
}

export interface OvaResult extends PackedFile {
  /** Member names in archive order. */
  members: string[];
}

function ovaMemberNames(name: string): { ovf: string; disk: string; mf: string } {
  return { ovf: `${name}.ovf`, disk: `${name}-disk001.vmdk`, mf: `${name}.mf` };
}

export async function writeOva(input: OvaInput): Promise<OvaResult> {
  const names = ovaMemberNames(input.name);
  const diskBytes = (await stat(input.disk)).size;
  const ovf = ovfDescriptor({
    name: input.name,
    cpus: input.machine.cpus,
    memoryMiB: input.machine.memoryMiB,
    osType: input.machine.osType,
    disk: { href: names.disk, fileBytes: diskBytes, capacityBytes: input.capacityBytes },
    mac: macFor(input.name),
  });
  async function* members(): AsyncGenerator<TarEntry> {
    yield bufferEntry(names.ovf, ovf);
    const disk = await fileEntry(names.disk, input.disk);
    yield disk;
    // Reached only after the archive has consumed the whole disk: its digest is final.
    const digests = [
      { name: names.ovf, sha256: createHash('sha256').update(ovf).digest('hex') },
      { name: names.disk, sha256: disk.sha256() },
    ];
    yield bufferEntry(names.mf, ovfManifest(digests));
  }
  const packed = await packToFile(
    input.destination,
    tarStream(members(), { mtime: input.mtime, onContent: percentReporter(diskBytes, input.onProgress) }),
    { signal: input.signal },
  );
  return { ...packed, members: [names.ovf, names.disk, names.mf] };
}
