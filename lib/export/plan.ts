// Which qemu-img conversions and packages a build's output section needs, as a pure
// function. Every image is converted from the work disk once and shared: the OVA and a
// VirtualBox box carry the same streamOptimized VMDK, and a libvirt box carries the
// qcow2 export itself when qcow2 is among the formats. The cloud formats share the same
// way: a vmdk-stream output is the OVA's disk, a raw output is the GCE archive's.
import { join } from 'node:path';
import type { DiskFormat, VagrantOutput, VagrantProvider } from '../template/types.js';
import type { ExportFormat, VmdkSubformat } from './convert-args.js';

export interface ImageJob {
  /** Where qemu-img writes it: the output directory, or the work dir for package-only images. */
  path: string;
  format: ExportFormat;
  vmdkSubformat?: VmdkSubformat;
  /** Compressed clusters (qcow2 only). */
  compress: boolean;
  /** Set when the image is one of output.formats: a build output, listed in the manifest. */
  output?: { file: string; format: DiskFormat };
}

export type ExportJob =
  | { kind: 'image'; image: ImageJob }
  | { kind: 'ova'; file: string; disk: ImageJob }
  /** disk.raw in a GNU tar.gz, for Compute Engine; disk is a raw image. */
  | { kind: 'gce'; file: string; disk: ImageJob };

/** The file name each of output.formats writes. */
export function outputFileName(name: string, format: DiskFormat): string {
  switch (format) {
    case 'vmdk-stream':
      return `${name}-stream.vmdk`;
    case 'gce':
      return `${name}-gce.tar.gz`;
    default:
      return `${name}.${format}`;
  }
}

/** What qemu-img writes for an image format of output.formats. */
const CONVERSIONS: Record<Exclude<DiskFormat, 'ova' | 'gce'>, { format: ExportFormat; vmdkSubformat?: VmdkSubformat }> = {
  qcow2: { format: 'qcow2' },
  raw: { format: 'raw' },
  vmdk: { format: 'vmdk', vmdkSubformat: 'monolithicSparse' },
  'vmdk-stream': { format: 'vmdk', vmdkSubformat: 'streamOptimized' },
  vdi: { format: 'vdi' },
  vhdx: { format: 'vhdx' },
  vhd: { format: 'vpc' },
};

export interface BoxJob {
  file: string;
  provider: VagrantProvider;
  disk: ImageJob;
}

export interface ExportPlan {
  /** In output.formats order. */
  exports: ExportJob[];
  box?: BoxJob;
}

export interface PlanInput {
  name: string;
  formats: DiskFormat[];
  compress: boolean;
  vagrant?: Pick<VagrantOutput, 'provider'>;
}

export function planExports(input: PlanInput, dirs: { output: string; work: string }): ExportPlan {
  const { name, compress } = input;
  const images = new Map<DiskFormat, ImageJob>();
  for (const format of input.formats) {
    if (format === 'ova' || format === 'gce') continue;
    const file = outputFileName(name, format);
    const conversion = CONVERSIONS[format];
    images.set(format, { path: join(dirs.output, file), ...conversion, compress: compress && format === 'qcow2', output: { file, format } });
  }
  let streamVmdk = images.get('vmdk-stream');
  const packedVmdk = () =>
    (streamVmdk ??= { path: join(dirs.work, `${name}-disk001.vmdk`), format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: false });
  let raw = images.get('raw');
  const gceRaw = () => (raw ??= { path: join(dirs.work, `${name}-gce.raw`), format: 'raw', compress: false });

  const exports: ExportJob[] = input.formats.map((format) => {
    const file = outputFileName(name, format);
    if (format === 'ova') return { kind: 'ova', file, disk: packedVmdk() };
    if (format === 'gce') return { kind: 'gce', file, disk: gceRaw() };
    return { kind: 'image', image: images.get(format)! };
  });

  const provider = input.vagrant?.provider;
  if (!provider) return { exports };
  let disk: ImageJob;
  if (provider === 'virtualbox') {
    disk = packedVmdk();
  } else {
    const qcow2 = exports.find((job) => job.kind === 'image' && job.image.format === 'qcow2');
    disk = qcow2?.kind === 'image' ? qcow2.image : { path: join(dirs.work, `${name}-box.qcow2`), format: 'qcow2', compress };
  }
  return { exports, box: { file: `${name}.${provider}.box`, provider, disk } };
}
