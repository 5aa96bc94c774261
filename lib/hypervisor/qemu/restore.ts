// Starting QEMU from a saved machine state instead of booting: QEMU starts paused with
// -incoming defer on the same machine definition, its fingerprint is compared with the
// saved one, and only a match loads the state. Anything short of a running restored
// guest stops that QEMU and says why, so the driver can boot the disk instead.
import { dirname } from 'node:path';
import type { Log } from '../../log/log.js';
import { CancelledError } from '../../errors.js';
import type { SavedStateLaunch } from '../driver.js';
import { buildQemuArgv, type QemuArgvInput } from './argv.js';
import { fingerprintMismatches, machineFingerprint } from './fingerprint.js';
import { loadMachineState, qemuVersion } from './machine-state.js';
import { startQemu, type QemuVm } from './vm.js';

export type RestoreAttempt = { vm: QemuVm; input: QemuArgvInput; ms: number } | { why: string };

/** The machine to load the state into: the boot's, with the installer CD as the saved machine had it. */
export function restoreInput(boot: QemuArgvInput, saved: SavedStateLaunch): QemuArgvInput {
  const { cdrom: _boot, bootOnceFromCdrom: _once, ...rest } = boot;
  const attached = saved.fingerprint.installer_cd === 'attached' && saved.installer !== undefined;
  return { ...rest, ...(attached ? { cdrom: saved.installer } : {}), incoming: 'defer' };
}

export async function startRestored(
  binary: string,
  boot: QemuArgvInput,
  saved: SavedStateLaunch,
  options: { signal: AbortSignal; log: Log },
): Promise<RestoreAttempt> {
  const { signal, log } = options;
  const input = restoreInput(boot, saved);
  const argv = buildQemuArgv(input);
  log.debug(`${binary} ${argv.join(' ')}`);
  const vm = await startQemu({ binary, argv, qmpSocket: input.qmpSocket, signal, log });
  try {
    const mismatches = fingerprintMismatches(saved.fingerprint, machineFingerprint(input, await qemuVersion(vm.qmp, signal)));
    if (mismatches.length > 0) {
      await vm.kill();
      return { why: `the saved state does not fit this machine (${mismatches.join('; ')})` };
    }
    const ms = await loadMachineState(vm.qmp, { file: saved.state, runDir: dirname(input.qmpSocket), exited: vm.exited, signal });
    return { vm, input, ms };
  } catch (error) {
    await vm.kill();
    if (error instanceof CancelledError || signal.aborted) throw error;
    const said = vm.stderrTail();
    return { why: `QEMU could not load the saved state: ${(error as Error).message}${said ? `: ${said}` : ''}` };
  }
}
