// A guest that powers off while its last memory checkpoint is still being written: QEMU
// would exit at the power-off and abandon the save. Told to pause at the power-off
// instead (QMP set-action, QEMU 6.0+), it goes on writing the state while the guest
// shuts down, and quits once the state is whole. The build's shutdown then overlaps
// the stream instead of waiting for it first.
import type { QmpClient } from './qmp-client.js';

/**
 * Holds the VM at the guest's power-off until `written` settles, then lets it go. Resolves
 * once QEMU was told; `lingered` then says how long QEMU stayed after the guest had
 * powered off (0 when the state was whole first). A QEMU that went away meanwhile has
 * nothing left to release.
 */
export async function holdPowerOffUntil(qmp: QmpClient, written: Promise<unknown>, signal: AbortSignal): Promise<{ lingered: Promise<number> }> {
  await qmp.execute('set-action', { shutdown: 'pause' }, { signal });
  let poweredOff: number | undefined;
  const onPowerOff = qmp.waitForEvent('SHUTDOWN').then(() => (poweredOff = performance.now()), () => {});
  const lingered = written
    .catch(() => {})
    .then(async () => {
      const done = performance.now();
      // Exiting at power-off again first, then looking: a guest that powers off between the two exits by itself.
      await qmp.execute('set-action', { shutdown: 'poweroff' });
      const { status } = await qmp.execute<{ status: string }>('query-status');
      if (status !== 'shutdown') return 0;
      await onPowerOff;
      await qmp.execute('quit').catch(() => {}); // the connection may close before the answer
      return poweredOff === undefined ? 0 : Math.max(0, Math.round(done - poweredOff));
    })
    .catch(() => 0);
  return { lingered };
}
