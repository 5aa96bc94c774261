// Test helper: a small patterned disk image, and what the guest sees in it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { convertImage } from '../../lib/export/convert.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';

export const SIZE = 16 << 20;

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The guest's view of the image: two patterned runs, zeros elsewhere. */
export function expectedBytes(): Buffer {
  const b = Buffer.alloc(SIZE);
  b.fill(0xab, 0, 1 << 20);
  b.fill(0x11, 8 << 20, (8 << 20) + (512 << 10));
  return b;
}

/** Makes DIR/source.qcow2 and DIR/source.vmdk (streamOptimized) holding expectedBytes(). */
export async function sampleImages(dir: string): Promise<{ qcow2: string; vmdk: string }> {
  const qcow2 = join(dir, 'source.qcow2');
  await createDisk(qcow2, SIZE, 'qcow2');
  await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 1M', '-c', 'write -P 0x11 8M 512k', qcow2]);
  const vmdk = join(dir, 'source.vmdk');
  await convertImage({ source: qcow2, sourceFormat: 'qcow2', destination: vmdk, format: 'vmdk', vmdkSubformat: 'streamOptimized', compress: false });
  return { qcow2, vmdk };
}

/** SHA-256 of the guest-visible bytes of an image (converted to raw next to it). */
export async function guestSha256(image: string, format: string): Promise<string> {
  const raw = `${image}.check.raw`;
  await execa('qemu-img', ['convert', '-f', format, '-O', 'raw', image, raw]);
  return sha256(readFileSync(raw));
}

/** Member names of a tar or tar.gz, in archive order (GNU tar reads multi-member gzip). */
export async function tarMembers(archive: string): Promise<string[]> {
  const { stdout } = await execa('tar', ['tf', archive]);
  return stdout.split('\n').filter(Boolean);
}

/** Extracts the archive into `into` (created by the caller). */
export async function untar(archive: string, into: string): Promise<void> {
  await execa('tar', ['xf', archive, '-C', into]);
}
