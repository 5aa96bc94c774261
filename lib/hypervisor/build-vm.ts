// The VM as the build steps see it, whichever hypervisor runs it. Steps type the boot
// command, read the screen, press the power button, wait for the guest to stop and
// stop it; what differs between QEMU and VirtualBox (how keys travel, where the serial
// console is, how a VM is stopped) stays behind this interface. The driver itself is
// reachable through `kind` for the few hypervisor-only features (QEMU's cache snapshots
// through QMP, VirtualBox's appliance export).
import type { ErrorCode } from '../errors.js';
import type { BootAction, KeyEvent } from '../keyboard/actions.js';
import { serialSocketPath } from './qemu/serial-socket.js';
import type { QemuVm } from './qemu/vm.js';
import { planScancodeCalls } from './virtualbox/scancode-calls.js';
import type { VirtualBoxVm } from './virtualbox/vm.js';

/**
 * One step of typing: a keyboard call carrying `keys` key presses of the boot command,
 * or one of its waits. `end` is the index just past the last boot action it covers,
 * so progress can be reported per boot.command line.
 */
export type TypingStep =
  | { kind: 'send'; keys: number; end: number; send: (signal: AbortSignal) => Promise<void> }
  | { kind: 'action'; action: Exclude<BootAction, { kind: 'keys' }>; end: number };

interface CommonVm {
  /** 'QEMU' or 'VirtualBox', for messages. */
  readonly label: string;
  /** The code of the error raised when the VM stops while kiln waits on it. */
  readonly stoppedCode: ErrorCode;
  /** Settles once the VM has stopped, however; never rejects. */
  readonly exited: Promise<unknown>;
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
}

export type BuildVm = (CommonVm & { readonly kind: 'qemu'; readonly driver: QemuVm }) | (CommonVm & { readonly kind: 'virtualbox'; readonly driver: VirtualBoxVm });

/** The calls both drivers answer alike. */
function sameOnBoth(vm: QemuVm | VirtualBoxVm): Pick<CommonVm, 'exited' | 'sendKeyEvents' | 'screendump' | 'powerdown' | 'waitForExit' | 'kill' | 'stderrTail'> {
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

/** QEMU: one QMP input-send-event per key press, as the boot command wrote it. */
export function qemuBuildVm(vm: QemuVm): BuildVm {
  return {
    kind: 'qemu',
    driver: vm,
    label: 'QEMU',
    stoppedCode: 'E_QEMU',
    planTyping: (actions) =>
      actions.map((action, index) =>
        action.kind === 'keys'
          ? { kind: 'send', keys: 1, end: index + 1, send: () => vm.sendKeyEvents(action.events) }
          : { kind: 'action', action, end: index + 1 },
      ),
    ...sameOnBoth(vm),
    serialSocket: () => serialSocketPath(vm.qmp),
  };
}

/**
 * VirtualBox: each keyboard call starts a VBoxManage process, so consecutive key
 * presses share `keyboardputscancode` calls (planScancodeCalls). COM1 writes to a
 * file only: there is no socket for `kiln console`.
 */
export function virtualBoxBuildVm(vm: VirtualBoxVm): BuildVm {
  return {
    kind: 'virtualbox',
    driver: vm,
    label: 'VirtualBox',
    stoppedCode: 'E_VBOX',
    planTyping: (actions, breaks) => scancodeTyping(actions, (bytes, signal) => vm.sendScancodes(bytes, signal), breaks),
    ...sameOnBoth(vm),
    serialSocket: async () => undefined,
  };
}

/** The boot actions as scancode calls, planned per stretch between `breaks`; `send` carries one call's bytes. */
export function scancodeTyping(
  actions: readonly BootAction[],
  send: (bytes: readonly string[], signal: AbortSignal) => Promise<void>,
  breaks: readonly number[] = [],
): TypingStep[] {
  const bounds = [...new Set([0, ...breaks.filter((b) => b > 0 && b < actions.length), actions.length])].sort((a, b) => a - b);
  return bounds.slice(1).flatMap((stop, i) => {
    const start = bounds[i]!;
    const stretch = actions.slice(start, stop);
    return planScancodeCalls(stretch).map((step): TypingStep =>
      step.kind === 'scancodes'
        ? { kind: 'send', keys: step.keys, end: start + step.end, send: (signal) => send(step.bytes, signal) }
        : // planScancodeCalls passes the parsed wait on as it is: its identity gives its position.
          { kind: 'action', action: step, end: start + stretch.indexOf(step) + 1 },
    );
  });
}
