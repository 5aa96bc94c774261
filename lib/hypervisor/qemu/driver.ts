// QEMU as a kiln driver: picks the accelerator, assembles the command line (argv.ts, a
// pure function) and starts the VM; its VMs take live disk snapshots over QMP, which
// is what the stage cache resumes from.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePort } from '../../util/free-port.js';
import { commonControls, type BuildVm, type RestoreOutcome } from '../build-vm.js';
import type { Driver, VmLaunch } from '../driver.js';
import { resolveAccel } from './accel.js';
import { buildQemuArgv, type QemuArgvInput } from './argv.js';
import { findEfiFirmware, prepareEfiVars } from './firmware.js';
import { probeHost } from './host-probe.js';
import { machineFingerprint } from './fingerprint.js';
import { snapshotToOverlay } from './live-snapshot.js';
import { type BackgroundMode, enableBackgroundSnapshot, qemuVersion, saveMachineState } from './machine-state.js';
import { holdPowerOffUntil } from './power-off-hold.js';
import { startRestored } from './restore.js';
import { serialSocketPath } from './serial-socket.js';
import { startQemu, type QemuVm } from './vm.js';

/** The guest's UEFI vars, in the work dir (checkpoints copy it into the cache). */
export const EFI_VARS_FILE_NAME = 'efi-vars.fd';

export const qemuDriver: Driver = {
  name: 'qemu',
  label: 'QEMU',
  unsupported: () => [],
  resumable: true,
  usesBuildDisk: true,
  async start(launch, signal) {
    const { machine, log } = launch;
    const binary = machine.qemu.binary;
    const accel = resolveAccel(machine.accel, await probeHost(binary));
    log.info(`accelerator: ${accel.accel} (${accel.reason})`);
    const disk = launch.disk;
    if (!disk || disk.format === 'vdi') throw new Error('internal: QEMU starts from a qcow2 or raw build disk');
    // Sockets live in a short temp dir: UNIX socket paths are limited to 107 bytes,
    // and output directories can be deep.
    const runDir = await mkdtemp(join(tmpdir(), 'kiln-run-'));
    try {
      const efi = machine.firmware === 'efi' ? await efiFiles(launch) : undefined;
      // Held until QEMU is about to bind it for the forward: no other program can take it meanwhile.
      const reserved = launch.sshGuestPort !== undefined ? await reservePort('127.0.0.1') : undefined;
      const sshPort = reserved?.port;
      const qmpSocket = join(runDir, 'qmp.sock');
      const input: QemuArgvInput = {
        name: `kiln-${launch.name}`,
        machine,
        accel: accel.accel,
        disk: { path: disk.path, format: disk.format, interface: machine.qemu.disk_interface },
        ...(machine.qemu.net_device !== undefined ? { nicModel: machine.qemu.net_device } : {}),
        ...(machine.qemu.cpu_model !== undefined ? { cpuModel: machine.qemu.cpu_model } : {}),
        ...(machine.qemu.cpu_level !== undefined ? { cpuLevel: machine.qemu.cpu_level } : {}),
        cdrom: launch.installer,
        bootOnceFromCdrom: true,
        extraCdroms: launch.extraCdroms,
        ...(launch.floppy !== undefined ? { floppy: launch.floppy } : {}),
        ...(launch.smbiosSerial ? { smbiosSerial: launch.smbiosSerial } : {}),
        efi,
        qmpSocket,
        serial: { socket: join(runDir, 'serial.sock'), log: launch.serialLog },
        hostForwards: sshPort !== undefined ? [{ hostPort: sshPort, guestPort: launch.sshGuestPort! }] : [],
      };
      await reserved?.release();
      const placed = { disk, serialLog: launch.serialLog, accelerator: { name: accel.accel, reason: accel.reason }, ...(sshPort !== undefined ? { sshPort } : {}), runDir };
      let restore: RestoreOutcome | undefined;
      if (launch.restore) {
        const attempt = await startRestored(binary, input, launch.restore, { signal, log });
        if ('vm' in attempt) return qemuBuildVm(attempt.vm, attempt.input, { ...placed, restore: { restored: true, ms: attempt.ms } });
        restore = { restored: false, why: attempt.why };
      }
      const argv = buildQemuArgv(input);
      log.debug(`${binary} ${argv.join(' ')}`);
      const vm = await startQemu({ binary, argv, qmpSocket, signal, log });
      return qemuBuildVm(vm, input, { ...placed, ...(restore ? { restore } : {}) });
    } catch (error) {
      await rm(runDir, { recursive: true, force: true });
      throw error;
    }
  },
};

async function efiFiles(launch: VmLaunch): Promise<{ code: string; vars: string }> {
  const firmware = await findEfiFirmware();
  // A resumed guest gets the NVRAM (boot entries) it had at the checkpoint.
  const vars = launch.efiVars ? { ...firmware, vars: launch.efiVars } : firmware;
  return { code: firmware.code, vars: await prepareEfiVars(vars, join(launch.workDir, EFI_VARS_FILE_NAME)) };
}

/** QEMU: one QMP input-send-event per key press, as the boot command wrote it. */
function qemuBuildVm(
  vm: QemuVm,
  input: QemuArgvInput,
  placed: Pick<BuildVm, 'disk' | 'serialLog' | 'accelerator' | 'sshPort' | 'restore'> & { runDir: string },
): BuildVm {
  const { runDir, ...rest } = placed;
  // The memory checkpoint still being written, if any; and whether QEMU can write one in the background.
  let saving: Promise<unknown> = Promise.resolve();
  let writing = false;
  let background: BackgroundMode | undefined;
  return {
    label: 'QEMU',
    stoppedCode: 'E_QEMU',
    ...rest,
    planTyping: (actions) =>
      actions.map((action, index) =>
        action.kind === 'keys'
          ? { kind: 'send', keys: 1, end: index + 1, send: () => vm.sendKeyEvents(action.events) }
          : { kind: 'action', action, end: index + 1 },
      ),
    ...commonControls(vm),
    serialSocket: () => serialSocketPath(vm.qmp),
    // Stopped in every outcome: --on-error=abort keeps files, not a running VM.
    dispose: async () => {
      // A failed build still stores the layers before its failure: let their memory finish.
      await saving.catch(() => {});
      await vm.kill();
      await rm(runDir, { recursive: true, force: true });
    },
    snapshotDisk: (disk, overlay, signal) => snapshotToOverlay(vm.qmp, disk, overlay, signal),
    async saveState(file, whilePaused, signal) {
      await saving.catch(() => {}); // QEMU runs one migration at a time
      background ??= await enableBackgroundSnapshot(vm.qmp, signal);
      const fingerprint = machineFingerprint(input, await qemuVersion(vm.qmp, signal));
      const saved = await saveMachineState(vm.qmp, { file, runDir, whilePaused, signal, background: background === 'on' });
      if (!saved.background) background = 'off'; // it fell back (and turned the capability off): the next save starts paused
      saving = saved.written;
      writing = true;
      // Saves run one at a time, so this one is the last when it settles.
      saved.written.then(() => (writing = false), () => (writing = false));
      return { ...saved, fingerprint };
    },
    stateWritten: () => saving.then(() => {}, () => {}),
    savingState: () => writing,
    // QEMU before 6.0 has no set-action: the shutdown then waits for the state first.
    holdPowerOff: async (signal) => (writing ? holdPowerOffUntil(vm.qmp, saving, signal).catch(() => undefined) : undefined),
  };
}
