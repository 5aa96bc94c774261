// A cloud image (source.disk) made into the build's own disk: a full copy converted
// to the working format, or a qcow2 overlay on top of the (unchanged) source with
// `backing: true`; either way grown to machine.disk. The qemu-img command lines are
// pure functions of what is known (planDiskPrep, tested by tables); prepareDiskImage
// inspects the source and runs them.
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KilnError } from '../errors.js';
import { imageInfo, runQemuImg } from '../hypervisor/qemu/qemu-img.js';
import { formatSize } from '../util/size.js';

/** Formats qemu-img reads that kiln accepts as a source disk. */
export const SOURCE_DISK_FORMATS = ['qcow2', 'raw', 'vmdk', 'vdi', 'vhdx'] as const;
export type WorkDiskFormat = 'qcow2' | 'raw';

export interface SourceImage {
  path: string;
  /** As qemu-img info reports it. */
  format: string;
  /** Bytes the guest sees. */
  virtualSize: number;
  backingFile?: string;
}

export interface DiskPrepInput {
  source: SourceImage;
  /** The build's disk (in the work dir). */
  target: string;
  /** qcow2 overlay on the source instead of a copy. */
  backing: boolean;
  /** machine.disk */
  sizeBytes: number;
}

/** The qemu-img argument lists that make the build's disk (always qcow2), run in order. */
export interface DiskPrepPlan {
  commands: string[][];
}

/** `qemu-img create` of a qcow2 overlay whose reads fall through to `base`. The base path is stored absolute. */
export function overlayArgs(base: string, baseFormat: string, overlay: string, sizeBytes: number): string[] {
  return ['create', '-q', '-f', 'qcow2', '-b', resolve(base), '-F', baseFormat, overlay, String(sizeBytes)];
}

/** `qemu-img convert`: a full, standalone copy; zeroed runs stay holes. */
export function copyArgs(source: string, sourceFormat: string, destination: string, format: WorkDiskFormat): string[] {
  // -f always: probing the format of a raw image is unsafe (its first bytes decide).
  return ['convert', '-q', '-f', sourceFormat, '-O', format, '-S', '4k', '-m', '16', '-W', source, destination];
}

/** `qemu-img resize` to grow the disk; the guest grows its partition and filesystem (cloud-init growpart). */
export function resizeArgs(path: string, format: WorkDiskFormat, sizeBytes: number): string[] {
  return ['resize', '-q', '-f', format, path, String(sizeBytes)];
}

export function planDiskPrep(input: DiskPrepInput): DiskPrepPlan {
  const { source, target } = input;
  // Disks are whole 512-byte sectors (qemu-img refuses anything else).
  const sizeBytes = Math.ceil(input.sizeBytes / 512) * 512;
  if (!(SOURCE_DISK_FORMATS as readonly string[]).includes(source.format)) {
    throw new KilnError('E_SOURCE', `source.disk ${source.path} is a ${source.format} image, which kiln does not boot`, {
      hint: `use a ${SOURCE_DISK_FORMATS.join(', ')} image (qemu-img convert -O qcow2 converts most others)`,
    });
  }
  if (source.backingFile) {
    throw new KilnError('E_SOURCE', `source.disk ${source.path} is itself an overlay on ${source.backingFile}`, {
      hint: `give a standalone image: qemu-img convert -O qcow2 ${source.path} flat.qcow2 makes one`,
    });
  }
  if (input.backing && source.format !== 'qcow2' && source.format !== 'raw') {
    throw new KilnError('E_SOURCE', `backing: true needs a qcow2 or raw source.disk, not ${source.format}`, { hint: 'remove backing: true to make a converted copy instead' });
  }
  if (sizeBytes < source.virtualSize) {
    throw new KilnError('E_SOURCE', `machine.disk (${formatSize(sizeBytes)}) is smaller than the source image (${formatSize(source.virtualSize)}); kiln does not shrink disks`, {
      hint: `set machine.disk to at least ${formatSize(source.virtualSize)}`,
    });
  }
  if (input.backing) return { commands: [overlayArgs(source.path, source.format, target, sizeBytes)] };
  const commands = [copyArgs(source.path, source.format, target, 'qcow2')];
  if (sizeBytes > source.virtualSize) commands.push(resizeArgs(target, 'qcow2', sizeBytes));
  return { commands };
}

/** Compressed or archived files that qemu-img would wrongly take for a raw disk, by their first bytes. */
export function containerOf(head: Uint8Array): string | undefined {
  const b = Buffer.from(head);
  if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  if (b.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (b.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

export interface PrepareDiskOptions extends Omit<DiskPrepInput, 'source'> {
  source: string;
  signal?: AbortSignal;
}

/**
 * Inspects the source, then copies or overlays and resizes it into `target`. An overlay
 * stands on `<target>.base`, a hard link to the source (a copy across filesystems): the
 * download cache replaces a file by renaming a new one over its path, which must never
 * change what the overlay reads. A failed step leaves neither file behind.
 */
export async function prepareDiskImage(options: PrepareDiskOptions): Promise<{ base?: string }> {
  const { signal } = options;
  const container = containerOf(await readHead(options.source));
  if (container) {
    throw new KilnError('E_SOURCE', `source.disk ${options.source} is a ${container} file, not a disk image`, {
      hint: container === 'tar' ? 'unpack it (tar -xf) and point source.disk at the disk image inside' : `decompress it first (e.g. ${container === 'gzip' ? 'gunzip' : container === 'bzip2' ? 'bunzip2' : `${container} -d`})`,
    });
  }
  const info = await imageInfo(options.source, signal);
  const base = options.backing ? `${options.target}.base` : undefined;
  const plan = planDiskPrep({ ...options, source: { path: base ?? options.source, ...info } });
  try {
    if (base) await pinFile(options.source, base);
    for (const args of plan.commands) await runQemuImg(args, `preparing the disk from ${options.source}`, { signal });
  } catch (error) {
    await rm(options.target, { force: true });
    if (base) await rm(base, { force: true });
    throw error;
  }
  return base ? { base } : {};
}

/** `to` becomes the same bytes as `from` for good: a hard link, else a (reflinked where possible) copy. */
async function pinFile(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to, fsConstants.COPYFILE_FICLONE);
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (cause) {
    throw new KilnError('E_SOURCE', `cannot read source.disk ${path}: ${(cause as Error).message}`, { cause, hint: 'check the path in source.disk' });
  }
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
