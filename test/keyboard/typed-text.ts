// Test helper: what a US keyboard would produce for parsed actions. The layout is
// written out again here, by hand, so the tests do not check lib/ against itself.

import type { BootAction } from '../../lib/keyboard/parse.js';

const ROWS: [string, string, string[]][] = [
  ['`1234567890-=', '~!@#$%^&*()_+', ['grave_accent', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'minus', 'equal']],
  ['qwertyuiop[]\\', 'QWERTYUIOP{}|', [...'qwertyuiop', 'bracket_left', 'bracket_right', 'backslash']],
  ["asdfghjkl;'", 'ASDFGHJKL:"', [...'asdfghjkl', 'semicolon', 'apostrophe']],
  ['zxcvbnm,./', 'ZXCVBNM<>?', [...'zxcvbnm', 'comma', 'dot', 'slash']],
  [' ', ' ', ['spc']],
];

const LAYOUT = new Map<string, [string, string]>();
for (const [plain, shifted, qcodes] of ROWS) {
  qcodes.forEach((q, i) => LAYOUT.set(q, [plain[i]!, shifted[i]!]));
}
const MODIFIERS = new Set(['shift', 'shift_r', 'ctrl', 'ctrl_r', 'alt', 'alt_r', 'meta_l', 'meta_r']);

/**
 * Replays key events on a simulated keyboard: characters as typed, other keys as
 * <qcode> when pressed, modifiers as they go down and up (+shift / -shift).
 * Throws on a release of a key that is not down, which the parser must never emit
 * for its own shift.
 */
export function typedText(actions: readonly BootAction[], { showModifiers = false } = {}): string {
  const down = new Set<string>();
  let out = '';
  for (const action of actions) {
    if (action.kind !== 'keys') continue;
    for (const { qcode, down: isDown } of action.events) {
      if (!isDown) {
        if (!down.delete(qcode)) throw new Error(`release of ${qcode}, which is not down`);
        if (MODIFIERS.has(qcode) && showModifiers) out += `-${qcode}`;
        continue;
      }
      down.add(qcode);
      const chars = LAYOUT.get(qcode);
      if (chars) out += down.has('shift') || down.has('shift_r') ? chars[1] : chars[0];
      else if (MODIFIERS.has(qcode)) out += showModifiers ? `+${qcode}` : '';
      else out += `<${qcode}>`;
    }
  }
  return out;
}

/** Every printable ASCII character, space to tilde. */
export const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
