// The qemu-img convert command line and its progress output, as pure functions.

/** qemu-img's output formats; vpc is VHD, which kiln always writes fixed (what Azure takes). */
export type ExportFormat = 'qcow2' | 'raw' | 'vmdk' | 'vdi' | 'vhdx' | 'vpc';

/**
 * monolithicSparse: one growable file, what VMware Workstation and VirtualBox attach
 * directly. streamOptimized: compressed and written front to back, what OVF packages
 * (OVA, VirtualBox Vagrant boxes) carry.
 */
export type VmdkSubformat = 'monolithicSparse' | 'streamOptimized';

export interface ConvertArgsInput {
  source: string;
  sourceFormat: string;
  destination: string;
  format: ExportFormat;
  /** Compress clusters; only qcow2 has per-cluster compression. */
  compress: boolean;
  /** For compressed qcow2: zstd is faster and smaller, but readers need QEMU 5.1+. Default zlib. */
  compressionType?: 'zlib' | 'zstd';
  /** vmdk only; default monolithicSparse. */
  vmdkSubformat?: VmdkSubformat;
  /** The destination was created beforehand (vhdCreateArgs): qemu-img writes into it (-n). */
  intoExisting?: boolean;
}

/**
 * A fixed VHD of `bytes` (already rounded as its target needs). force_size keeps the
 * virtual size exact: without it qemu-img rounds to the CHS geometry of Virtual PC.
 */
export function vhdCreateArgs(destination: string, bytes: number): string[] {
  return ['create', '-q', '-f', 'vpc', '-o', 'subformat=fixed,force_size=on', destination, String(bytes)];
}

/** `bytes` rounded up to a whole multiple of `unit`. */
export function roundUp(bytes: number, unit: number): number {
  return Math.ceil(bytes / unit) * unit;
}

export function convertArgs(input: ConvertArgsInput): string[] {
  const options: string[] = [];
  const compress = input.compress && input.format === 'qcow2';
  if (compress && input.compressionType === 'zstd') options.push('compression_type=zstd');
  // vdi and vhdx are dynamic (grow on write) by default already; vmdk says which kind.
  if (input.format === 'vmdk') options.push(`subformat=${input.vmdkSubformat ?? 'monolithicSparse'}`);
  // An existing target keeps the options it was created with; qemu-img refuses -o with -n.
  if (input.intoExisting) options.length = 0;
  return [
    'convert',
    '-p', // progress on stdout, parsed by ProgressParser
    '-f', input.sourceFormat, // never let qemu-img guess: probing a raw image is unsafe
    '-O', input.format,
    // The target was just created, all zeros: skip writing zeros into it (the file stays sparse).
    ...(input.intoExisting ? ['-n', '--target-is-zero'] : []),
    ...(compress ? ['-c'] : []),
    ...(options.length ? ['-o', options.join(',')] : []),
    // Zeroed 4 KiB runs become holes (raw) or unallocated clusters (qcow2).
    '-S', '4k',
    // 16 parallel requests and out-of-order writes keep both cores busy compressing.
    '-m', '16',
    '-W',
    input.source,
    input.destination,
  ];
}

const PROGRESS = /\((\d+(?:\.\d+)?)\/100%\)/g;

/**
 * qemu-img -p prints "    (12.34/100%)" and a carriage return, many times a second.
 * Chunks from a pipe can split an update anywhere; this keeps the unfinished tail.
 */
export class ProgressParser {
  private rest = '';
  private last = -1;

  /** The new percentages in this chunk (repeats of the previous value dropped). */
  push(chunk: string): number[] {
    const text = this.rest + chunk;
    const cut = Math.max(text.lastIndexOf('\r'), text.lastIndexOf('\n'), text.lastIndexOf(')'));
    this.rest = text.slice(cut + 1);
    const found: number[] = [];
    for (const [, value] of text.slice(0, cut + 1).matchAll(PROGRESS)) {
      const percent = Number(value);
      if (percent !== this.last) found.push(percent);
      this.last = percent;
    }
    return found;
  }
}
