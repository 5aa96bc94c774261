// Converts the build disk into an output image. qemu-img writes to NAME.partial and
// the file is renamed into place only when complete, so an image under its final
// name is always whole, even after a failure or Ctrl-C. A VHD is created first at its
// rounded size and filled in place: Azure takes only fixed VHDs of whole MiB.
import { rename, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { CancelledError } from '../errors.js';
import { imageInfo, QEMU_IMG, qemuImgError, qemuImgSupportsZstd, runQemuImg } from '../hypervisor/qemu/qemu-img.js';
import { MIB } from '../util/size.js';
import { convertArgs, ProgressParser, roundUp, vhdCreateArgs, type ExportFormat, type VmdkSubformat } from './convert-args.js';

export interface ConvertImageOptions {
  source: string;
  /** The source's format (qcow2, raw, ...); never guessed. */
  sourceFormat: string;
  destination: string;
  format: ExportFormat;
  /** qcow2 only: compressed clusters. */
  compress: boolean;
  /** For compressed qcow2. auto (default): zstd when this qemu-img can write it, else zlib. zstd images need QEMU 5.1+ to read. */
  compressionType?: 'auto' | 'zlib' | 'zstd';
  /** vmdk only; default monolithicSparse. */
  vmdkSubformat?: VmdkSubformat;
  signal?: AbortSignal;
  /** 0..100, as qemu-img reports it. */
  onProgress?: (percent: number) => void;
}

export async function convertImage(options: ConvertImageOptions): Promise<void> {
  const { destination, signal } = options;
  if (signal?.aborted) throw new CancelledError();
  const partial = `${destination}.partial`;
  await rm(partial, { force: true });

  const compressionType = options.compress && options.format === 'qcow2' ? await pickCompression(options.compressionType) : undefined;
  const intoExisting = options.format === 'vpc';
  if (intoExisting) {
    const bytes = roundUp((await imageInfo(options.source, signal)).virtualSize, MIB);
    await runQemuImg(vhdCreateArgs(partial, bytes), `creating the VHD ${partial}`, { signal });
  }
  const args = convertArgs({ ...options, destination: partial, compressionType, intoExisting });
  const child = execa(QEMU_IMG, args, {
    reject: false,
    cancelSignal: signal,
    stdin: 'ignore',
    buffer: { stdout: false, stderr: true },
  });
  const progress = new ProgressParser();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const percent of progress.push(chunk)) options.onProgress?.(percent);
  });
  const result = await child;

  if (result.exitCode === 0 && !result.isCanceled && !signal?.aborted) {
    await rename(partial, destination);
    return;
  }
  await rm(partial, { force: true });
  throw qemuImgError(result, `converting ${options.source} to ${options.format}`, signal, {
    code: 'E_EXPORT',
    hint: 'check free space in the output directory and that the source image is intact (qemu-img check)',
  });
}

async function pickCompression(requested: ConvertImageOptions['compressionType'] = 'auto'): Promise<'zlib' | 'zstd'> {
  if (requested !== 'auto') return requested;
  return (await qemuImgSupportsZstd()) ? 'zstd' : 'zlib';
}
