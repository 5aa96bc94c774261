// Freezing the disk of a running VM: QMP blockdev-snapshot-sync puts a prepared qcow2
// overlay on top of the disk; from then on the guest writes to the overlay and the old
// image is read-only, a finished layer. QEMU drains in-flight requests and flushes its
// qcow2 caches to the file before switching, even with cache=unsafe, and the guest keeps
// running: a checkpoint costs milliseconds instead of a shutdown and a boot.
import { resolve } from 'node:path';
import { KilnError } from '../../errors.js';
import type { QmpClient } from './qmp-client.js';

interface BlockInfo {
  device: string;
  inserted?: { file: string };
}

/** Makes `overlay` (created with this disk as its backing file) the VM's active image of `disk`. */
export async function snapshotToOverlay(qmp: QmpClient, disk: string, overlay: string, signal?: AbortSignal): Promise<void> {
  const blocks = await qmp.execute<BlockInfo[]>('query-block', undefined, { signal });
  const device = blocks.find((b) => b.inserted && topImageFile(b.inserted.file) === resolve(disk))?.device;
  if (!device) {
    throw new KilnError('E_QMP', `the VM has no drive whose active image is ${disk}`, {
      hint: 'machine.qemu.args may have replaced the disk; checkpoints need kiln\'s own drive',
    });
  }
  // mode existing: QEMU opens our overlay, whose header already names its backing file
  // relative to itself; QEMU leaves that name as it is.
  await qmp.execute('blockdev-snapshot-sync', { device, 'snapshot-file': resolve(overlay), format: 'qcow2', mode: 'existing' }, { signal });
}

/**
 * The file of a drive's active image. After a snapshot QEMU names the image
 * `json:{...}` (its header's relative backing name is not how QEMU opened the backing
 * file); the active image's own file is in there.
 */
export function topImageFile(name: string): string | undefined {
  if (!name.startsWith('json:')) return resolve(name);
  try {
    const spec = JSON.parse(name.slice('json:'.length)) as { file?: { filename?: unknown } };
    return typeof spec.file?.filename === 'string' ? resolve(spec.file.filename) : undefined;
  } catch {
    return undefined;
  }
}
