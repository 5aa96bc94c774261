// qemu-img for layers: a layer's disk is a qcow2 whose backing file is named relative to
// itself (../<parent id>/disk.qcow2), so the cache directory can move and a child never
// depends on where its parent was when it was written.
import { execa } from 'execa';
import { CancelledError } from '../errors.js';
import { QEMU_IMG, qemuImgError } from '../hypervisor/qemu/qemu-img.js';
import { backingName } from './layout.js';

/**
 * An empty qcow2 of `sizeBytes`, on top of the parent layer when one is given. The
 * backing file is recorded without being opened (-u): the parent may still be being
 * written by the running VM, which is what the snapshot then freezes.
 */
export async function createLayerDisk(path: string, sizeBytes: number, parentId: string | undefined, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new CancelledError();
  const args = ['create', '-q', '-f', 'qcow2'];
  if (parentId) args.push('-b', backingName(parentId), '-F', 'qcow2', '-u');
  args.push(path, String(sizeBytes));
  const result = await execa(QEMU_IMG, args, { reject: false, cancelSignal: signal, stdin: 'ignore' });
  if (result.exitCode !== 0 || result.isCanceled) throw qemuImgError(result, `creating ${path}`, signal);
}
