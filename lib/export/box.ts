// A Vagrant box: metadata.json, Vagrantfile and the disk (plus box.ovf for VirtualBox)
// in a tar, gzipped on every core, streamed from the image to NAME.<provider>.box and
// hashed on the way. Level 0 writes a plain tar, which Vagrant accepts as well. A
// VirtualBox build packs VirtualBox's own OVF export instead (writeApplianceBox).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { VagrantOutput } from '../template/types.js';
import { BOX_MEMBERS, boxVagrantfile, libvirtMetadata, metadataJson, virtualboxMetadata } from './box-metadata.js';
import { macFor, ovfDescriptor } from './ovf.js';
import { packToFile, percentReporter, type PackedFile } from './pack-to-file.js';
import { bufferEntry, fileEntry, tarStream, type TarEntry } from './tar-stream.js';

export interface BoxInput {
  destination: string;
  name: string;
  provider: VagrantOutput['provider'];
  /** libvirt: a qcow2 image; virtualbox: a streamOptimized VMDK. */
  disk: string;
  /** Bytes the guest sees. */
  virtualBytes: number;
  layout: VagrantOutput['layout'];
  /** gzip level, 0 for none. */
  compression: number;
  /** Appended to the box's Vagrantfile. */
  vagrantfile?: string;
  /** virtualbox: the VM described in box.ovf. */
  machine: { cpus: number; memoryMiB: number; osType: string };
  /** Seconds since the epoch, for the members. */
  mtime: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
}

export interface BoxResult extends PackedFile {
  /** Member names in archive order. */
  members: string[];
}

export async function writeBox(input: BoxInput): Promise<BoxResult> {
  const diskBytes = (await stat(input.disk)).size;
  const entries = input.provider === 'libvirt' ? await libvirtEntries(input) : await virtualboxEntries(input, diskBytes);
  const packed = await packToFile(
    input.destination,
    tarStream(entries, { mtime: input.mtime, onContent: percentReporter(diskBytes, input.onProgress) }),
    { gzipLevel: input.compression, signal: input.signal },
  );
  return { ...packed, members: entries.map((e) => e.name) };
}

async function libvirtEntries(input: BoxInput): Promise<TarEntry[]> {
  return [
    bufferEntry('metadata.json', metadataJson(libvirtMetadata(input.layout, input.virtualBytes))),
    bufferEntry('Vagrantfile', boxVagrantfile({ name: input.name, provider: 'libvirt', extra: input.vagrantfile })),
    await fileEntry(BOX_MEMBERS.libvirt.disk, input.disk),
  ];
}

async function virtualboxEntries(input: BoxInput, diskBytes: number): Promise<TarEntry[]> {
  const mac = macFor(input.name);
  const ovf = ovfDescriptor({
    name: input.name,
    ...input.machine,
    disk: { href: BOX_MEMBERS.virtualbox.disk, fileBytes: diskBytes, capacityBytes: input.virtualBytes },
    mac,
  });
  return [
    bufferEntry('metadata.json', metadataJson(virtualboxMetadata())),
    bufferEntry('Vagrantfile', boxVagrantfile({ name: input.name, provider: 'virtualbox', baseMac: mac, extra: input.vagrantfile })),
    bufferEntry(BOX_MEMBERS.virtualbox.ovf, ovf),
    await fileEntry(BOX_MEMBERS.virtualbox.disk, input.disk),
  ];
}

export interface ApplianceBoxInput {
  destination: string;
  name: string;
  /** `VBoxManage export --output .../box.ovf`: the descriptor first, then its disks. */
  appliance: string[];
  /** The NAT adapter's MAC in that OVF (12 hex digits), which Vagrant restores after import. */
  baseMac: string;
  compression: number;
  vagrantfile?: string;
  mtime: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
}

/** A virtualbox box from VirtualBox's own export: what `vagrant package` makes. */
export async function writeApplianceBox(input: ApplianceBoxInput): Promise<BoxResult> {
  const files = await Promise.all(input.appliance.map((path) => fileEntry(basename(path), path)));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const entries: TarEntry[] = [
    bufferEntry('metadata.json', metadataJson(virtualboxMetadata())),
    bufferEntry('Vagrantfile', boxVagrantfile({ name: input.name, provider: 'virtualbox', baseMac: input.baseMac, extra: input.vagrantfile })),
    ...files,
  ];
  const packed = await packToFile(input.destination, tarStream(entries, { mtime: input.mtime, onContent: percentReporter(total, input.onProgress) }), {
    gzipLevel: input.compression,
    signal: input.signal,
  });
  return { ...packed, members: entries.map((e) => e.name) };
}
