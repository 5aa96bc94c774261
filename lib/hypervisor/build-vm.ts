// The VM as the build steps see it, whichever hypervisor runs it. Steps type the boot
// command, read the screen, press the power button, wait for the guest to stop and
// stop it; what differs between QEMU and VirtualBox (how keys travel, where the serial
// console is, how a VM is stopped) stays behind this interface. What only one
// hypervisor can do is an optional capability (lima's driver style): a step asks for
// `vm.snapshotDisk` or `vm.appliance`, never for the hypervisor's name.
import type { ErrorCode } from '../errors.js';
import type { BootAction, KeyEvent } from '../keyboard/actions.js';

/**
 * One step of typing: a keyboard call carrying `keys` key presses of the boot command,
 * or one of its waits. `end` is the index just past the last boot action it covers,
 * so progress can be reported per boot.command line.
 */
export type TypingStep =
  | { kind: 'send'; keys: number; end: number; send: (signal: AbortSignal) => Promise<void> }
  | { kind: 'action'; action: Exclude<BootAction, { kind: 'keys' }>; end: number };

export interface BuildVm {
  /** 'QEMU' or 'VirtualBox', for messages. */
  readonly label: string;
  /** The code of the error raised when the VM stops while kiln waits on it. */
  readonly stoppedCode: ErrorCode;
  /** Settles once the VM has stopped, however; never rejects. */
  readonly exited: Promise<unknown>;
  /** The disk the guest runs on (the build's qcow2 under QEMU, VirtualBox's own VDI). */
  readonly disk: VmDisk;
  /** 127.0.0.1 port forwarded to the guest's SSH port; none with `ssh: none`. */
  readonly sshPort?: number;
  /** Where the guest's serial console is written. */
  readonly serialLog: string;
  /** The accelerator and why it was chosen, when the hypervisor lets kiln choose. */
  readonly accelerator?: { name: string; reason: string };
  /**
   * The boot command's keys as keyboard calls, in order; boot.key_interval goes between
   * calls. No call spans one of `breaks` (action indexes where a boot.command line ends).
   */
  planTyping(actions: readonly BootAction[], breaks?: readonly number[]): TypingStep[];
  /** Presses or releases keys at once (releasing keys a boot command left held). */
  sendKeyEvents(events: readonly KeyEvent[]): Promise<void>;
  /** Writes the screen to `path` (PPM, or PNG). */
  screendump(path: string, format?: 'ppm' | 'png'): Promise<void>;
  /** Presses the ACPI power button; the guest decides what to do. */
  powerdown(): Promise<void>;
  /** True when the VM stopped within timeoutMs; throws CancelledError when the signal fires. */
  waitForExit(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Stops the VM at once (no guest shutdown). */
  kill(): Promise<void>;
  /** The hypervisor's last words, for error messages. */
  stderrTail(): string;
  /** A UNIX socket `kiln console` can attach to, when the hypervisor offers one. */
  serialSocket(): Promise<string | undefined>;
  /**
   * Releases the VM at the end of the build: stops it and removes what the hypervisor
   * made. With `keepFiles` (--on-error=abort) a VM that has files of its own stays, off.
   */
  dispose(options: { keepFiles: boolean }): Promise<void>;

  /** Capability: moves the running guest onto a new qcow2 overlay of `disk` (the stage cache's checkpoints). */
  snapshotDisk?(disk: string, overlay: string, signal: AbortSignal): Promise<void>;
  /**
   * Capability: pauses the guest, runs `whilePaused` (the disk snapshot, so disk and
   * state are one instant), saves the machine's memory and device state to `file`, and
   * resumes the guest (memory checkpoints of the stage cache). The file may still be
   * being written when this resolves (SavedState.written).
   */
  saveState?(file: string, whilePaused: () => Promise<void>, signal: AbortSignal): Promise<SavedState>;
  /**
   * With saveState: resolves once no state is being written any more. Whatever ends the
   * guest (its shutdown) waits for it: QEMU gives up a save when the guest powers off.
   */
  stateWritten?(): Promise<void>;
  /** With saveState: true while a memory checkpoint is still being written (a checkpoint then keeps the disk only, instead of waiting). */
  savingState?(): boolean;
  /**
   * With saveState: when a memory checkpoint is still being written, keeps the VM from
   * exiting at the guest's power-off until it is whole, so the shutdown need not wait for
   * it first; `lingered` then says how long the VM stayed after the power-off. Undefined
   * when nothing is being written or the hypervisor cannot (stateWritten is then awaited).
   */
  holdPowerOff?(signal: AbortSignal): Promise<{ lingered: Promise<number> } | undefined>;
  /** How the VM started when its launch asked for a saved state: restored, or booted and why. */
  readonly restore?: RestoreOutcome;
  /** Capability: the hypervisor exports the stopped VM as an OVF appliance itself. */
  readonly appliance?: ApplianceExport;
}

export interface SavedState {
  /** The state file's size once it is whole; rejects when the save failed (the file is then removed). */
  written: Promise<number>;
  /** True when the guest ran again before the file was written (QEMU's background snapshot). */
  background: boolean;
  /** How long the guest was paused, the disk snapshot included. */
  pauseMs: number;
  /** What the state can only be loaded into (compared before a restore; opaque to the cache). */
  fingerprint: Record<string, string>;
}

export type RestoreOutcome = { restored: true; ms: number } | { restored: false; why: string };

export interface VmDisk {
  path: string;
  format: 'qcow2' | 'raw' | 'vdi';
}

export interface ApplianceExport {
  /** Writes `output` (.ova or .ovf); returns the files written. `manifest` adds a .mf of digests. */
  export(options: { output: string; vmName: string; manifest?: boolean }, signal: AbortSignal): Promise<string[]>;
  /** The MAC address of the first NIC, which a Vagrant box's Vagrantfile pins. */
  baseMac(signal: AbortSignal): Promise<string>;
}

type Passed = 'exited' | 'sendKeyEvents' | 'screendump' | 'powerdown' | 'waitForExit' | 'stderrTail';

/** What QEMU's and VirtualBox's VM objects both answer as BuildVm does (kill resolves with their own exit record). */
export type ControllableVm = Pick<BuildVm, Passed> & { kill(): Promise<unknown> };

/** The BuildVm members every driver passes straight to its VM object. */
export function commonControls(vm: ControllableVm): Pick<BuildVm, Passed | 'kill'> {
  return {
    exited: vm.exited,
    sendKeyEvents: (events) => vm.sendKeyEvents(events),
    screendump: (path, format) => vm.screendump(path, format),
    powerdown: () => vm.powerdown(),
    waitForExit: (timeoutMs, signal) => vm.waitForExit(timeoutMs, signal),
    kill: async () => void (await vm.kill()),
    stderrTail: () => vm.stderrTail(),
  };
}
