// The qemu-img convert command line and its progress output, as pure functions.

export type ExportFormat = 'qcow2' | 'raw' | 'vmdk' | 'vdi' | 'vhdx';

export interface ConvertArgsInput {
  source: string;
  sourceFormat: string;
  destination: string;
  format: ExportFormat;
  /** Compress clusters; only qcow2 has per-cluster compression. */
  compress: boolean;
  /** For compressed qcow2: zstd is faster and smaller, but readers need QEMU 5.1+. Default zlib. */
  compressionType?: 'zlib' | 'zstd';
}

/** Format-specific -o options that make an image compact and importable. */
const FORMAT_OPTIONS: Partial<Record<ExportFormat, string>> = {
  // streamOptimized: compressed, and what VirtualBox, VMware and OVA imports expect.
  // vdi and vhdx are dynamic (grow on write) by default already.
  vmdk: 'subformat=streamOptimized',
};

export function convertArgs(input: ConvertArgsInput): string[] {
  const options: string[] = [];
  const compress = input.compress && input.format === 'qcow2';
  if (compress && input.compressionType === 'zstd') options.push('compression_type=zstd');
  const formatOption = FORMAT_OPTIONS[input.format];
  if (formatOption) options.push(formatOption);
  return [
    'convert',
    '-p', // progress on stdout, parsed by ProgressParser
    '-f', input.sourceFormat, // never let qemu-img guess: probing a raw image is unsafe
    '-O', input.format,
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
