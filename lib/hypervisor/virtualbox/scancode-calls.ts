// Boot-command keys as keyboardputscancode calls. Every call starts a VBoxManage
// process (tens of milliseconds), so a few keys go in each; but the guest's keyboard
// buffer is small, and a long burst loses keys, so a call carries at most
// MAX_SCANCODES_PER_CALL bytes. A key's bytes (e0 prefix, shift around a character)
// are never split between calls unless one key alone is longer than the limit.

import type { BootAction, KeyEvent } from '../../keyboard/actions.js';
import { encodeScancodes } from '../../keyboard/scancodes.js';

export const MAX_SCANCODES_PER_CALL = 24;

export type ScancodeStep =
  /**
   * One keyboardputscancode call; `keys` counts the boot-command keys it completes and
   * `end` is the index just past the last action it carries (for per-line reports).
   */
  | { kind: 'scancodes'; bytes: string[]; keys: number; text: string; end: number }
  | Exclude<BootAction, { kind: 'keys' }>;

/** Splits one batch of events into calls at event boundaries. */
export function scancodeChunks(events: readonly KeyEvent[], max = MAX_SCANCODES_PER_CALL): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const event of events) {
    const bytes = encodeScancodes([event]);
    if (current.length > 0 && current.length + bytes.length > max) {
      chunks.push(current);
      current = [];
    }
    current.push(...bytes);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Groups consecutive key presses of a parsed boot command into calls of at most `max`
 * bytes; waits stay where they are, so <wait> and <waitHttp> still split the typing.
 */
export function planScancodeCalls(actions: readonly BootAction[], max = MAX_SCANCODES_PER_CALL): ScancodeStep[] {
  const steps: ScancodeStep[] = [];
  let open: Extract<ScancodeStep, { kind: 'scancodes' }> | undefined;
  for (const [index, action] of actions.entries()) {
    if (action.kind !== 'keys') {
      open = undefined;
      steps.push(action);
      continue;
    }
    const chunks = scancodeChunks(action.events, max);
    for (const [i, bytes] of chunks.entries()) {
      // The key counts once, with its last chunk; its text goes with its first.
      const keys = i === chunks.length - 1 ? 1 : 0;
      const text = i === 0 ? action.text : '';
      if (open && open.bytes.length + bytes.length <= max && chunks.length === 1) {
        open.bytes.push(...bytes);
        open.keys += keys;
        open.text += text;
        open.end = index + 1;
      } else {
        open = { kind: 'scancodes', bytes: [...bytes], keys, text, end: index + 1 };
        steps.push(open);
      }
    }
    if (chunks.length > 1) open = undefined;
  }
  return steps;
}
