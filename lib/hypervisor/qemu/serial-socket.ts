// Where a running QEMU's serial console listens, asked from QEMU itself (QMP
// query-chardev) rather than remembered: it is the one source that cannot be stale.
import type { QmpClient } from './qmp-client.js';

interface ChardevInfo {
  label: string;
  filename: string;
}

/**
 * The socket path in a chardev description such as
 * "disconnected:unix:/tmp/kiln-run-x/serial.sock,server=on" (QEMU doubles commas in paths).
 */
export function socketFromChardev(filename: string): string | undefined {
  const m = /(?:^|:)unix:((?:[^,]|,,)+)(?:,|$)/.exec(filename);
  return m ? m[1]!.replaceAll(',,', ',') : undefined;
}

/** The UNIX socket of the chardev `label` (kiln's is serial0), if it is one. */
export async function serialSocketPath(qmp: Pick<QmpClient, 'execute'>, label = 'serial0'): Promise<string | undefined> {
  const devices = await qmp.execute<ChardevInfo[]>('query-chardev');
  const device = devices.find((d) => d.label === label);
  return device ? socketFromChardev(device.filename) : undefined;
}
