// Keys a boot command leaves down. The parser keeps holds exactly as written
// (<leftCtrlOn> with no <leftCtrlOff> is legal, as in Packer), so the driver sends
// these releases after the last action, and also when typing stops early
// (heldAtEnd(actions.slice(0, typed))), so the guest is never left with a stuck key.

import type { BootAction, KeyEvent } from './actions.js';

/** Key-up events for every key still down after `actions`, most recently pressed first. */
export function heldAtEnd(actions: readonly BootAction[]): KeyEvent[] {
  const down = new Set<string>(); // insertion order = press order
  for (const action of actions) {
    if (action.kind !== 'keys') continue;
    for (const { qcode, down: isDown } of action.events) {
      down.delete(qcode);
      if (isDown) down.add(qcode);
    }
  }
  return [...down].reverse().map((qcode) => ({ qcode, down: false }));
}

/**
 * The holds a command never releases, as written ("<leftCtrlOn>", "<aOn>"), in the order
 * they were pressed: legal, but the guest sees the key down to the end of the command.
 */
export function unreleasedHolds(actions: readonly BootAction[]): string[] {
  const pressedBy = new Map<string, string>(); // qcode -> the action text that pressed it
  for (const action of actions) {
    if (action.kind !== 'keys') continue;
    for (const { qcode, down } of action.events) {
      pressedBy.delete(qcode);
      if (down) pressedBy.set(qcode, action.text);
    }
  }
  return [...new Set(pressedBy.values())];
}
