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
