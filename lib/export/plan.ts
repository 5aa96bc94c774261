// Which qemu-img conversions and packages a build's output section needs, as a pure
// function. Every image is converted from the work disk once and shared: the OVA and a
// VirtualBox box carry the same streamOptimized VMDK, and a libvirt box carries the
// qcow2 export itself when qcow2 is among the formats.
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

export type ExportJob = { kind: 'image'; image: ImageJob } | { kind: 'ova'; file: string; disk: ImageJob };

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
  const outputImage = (format: ExportFormat): ImageJob => ({
    path: join(dirs.output, `${name}.${format}`),
    format,
    ...(format === 'vmdk' ? { vmdkSubformat: 'monolithicSparse' as const } : {}),
    compress: compress && format === 'qcow2',
    output: { file: `${name}.${format}`, format },
  });
  let streamVmdk: ImageJob | undefined;
  const packedVmdk = () =>
    (streamVmdk ??= { path: join(dirs.work, `${name}-disk001.vmdk`), format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: false });

  const exports: ExportJob[] = input.formats.map((format) =>
    format === 'ova' ? { kind: 'ova', file: `${name}.ova`, disk: packedVmdk() } : { kind: 'image', image: outputImage(format) },
  );

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
