// VirtualBox types through `VBoxManage controlvm keyboardputscancode`: each call starts
// a process, so consecutive key presses share calls (planScancodeCalls), cut at every
// boot.command line end so per-line progress and screenshots stay exact.
import type { BootAction } from '../../keyboard/actions.js';
import type { TypingStep } from '../build-vm.js';
import { planScancodeCalls } from './scancode-calls.js';

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
