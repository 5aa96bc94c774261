// Decodes PC/XT scancode set 1 back into what a US keyboard types, written from the
// keyboard's rows (set-1 codes run along each row) and not from lib/'s tables, so a
// test comparing the two checks one against the other. Printable keys come out as
// characters (shift-aware), other keys as <name> in boot-command spelling, modifiers
// as <leftCtrlOn>/<leftCtrlOff> around what they modified, or <leftCtrl> when tapped
// alone. A byte that makes no sense comes out as <?xx> so assertions show it.

import type { FakeVm } from './state.js';

// [first code, unshifted row, shifted row]
const ROWS: [number, string, string][] = [
  [0x02, '1234567890-=', '!@#$%^&*()_+'],
  [0x10, 'qwertyuiop[]', 'QWERTYUIOP{}'],
  [0x1e, "asdfghjkl;'`", 'ASDFGHJKL:"~'],
  [0x2b, '\\zxcvbnm,./', '|ZXCVBNM<>?'],
];

const PRINTABLE = new Map<number, [string, string]>([[0x39, [' ', ' ']]]);
for (const [first, plain, shifted] of ROWS) {
  [...plain].forEach((ch, i) => PRINTABLE.set(first + i, [ch, shifted[i]!]));
}

const NAMED = new Map<number, string>([
  [0x01, 'esc'],
  [0x0e, 'bs'],
  [0x0f, 'tab'],
  [0x1c, 'enter'],
  ...Array.from({ length: 10 }, (_, i): [number, string] => [0x3b + i, `f${i + 1}`]),
  [0x57, 'f11'],
  [0x58, 'f12'],
]);

const EXTENDED_NAMED = new Map<number, string>([
  [0x47, 'home'],
  [0x48, 'up'],
  [0x49, 'pageUp'],
  [0x4b, 'left'],
  [0x4d, 'right'],
  [0x4f, 'end'],
  [0x50, 'down'],
  [0x51, 'pageDown'],
  [0x52, 'insert'],
  [0x53, 'del'],
  [0x5d, 'menu'],
]);

const MODIFIERS = new Map<string, string>([
  ['2a', 'leftShift'],
  ['36', 'rightShift'],
  ['1d', 'leftCtrl'],
  ['e01d', 'rightCtrl'],
  ['38', 'leftAlt'],
  ['e038', 'rightAlt'],
  ['e05b', 'leftSuper'],
  ['e05c', 'rightSuper'],
]);

type Keyboard = FakeVm['keyboard'];

/**
 * Decodes bytes typed after `typed` (the text so far), continuing from `keyboard`
 * (held keys survive between calls); returns the whole text.
 */
export function decodeScancodes(typed: string, bytes: readonly number[], keyboard: Keyboard): string {
  let out = typed;
  const shifted = () => keyboard.held.some((h) => h.name === 'leftShift' || h.name === 'rightShift');
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i]!;
    let extended = false;
    if (byte === 0xe0) {
      extended = true;
      byte = bytes[++i] ?? -1;
      if (byte < 0) {
        out += '<?e0>';
        break;
      }
    }
    const release = (byte & 0x80) !== 0;
    const code = byte & 0x7f;
    const id = `${extended ? 'e0' : ''}${code.toString(16).padStart(2, '0')}`;
    const modifier = MODIFIERS.get(id);
    if (modifier) {
      if (!release) {
        if (!keyboard.held.some((h) => h.name === modifier)) {
          keyboard.held.push({ name: modifier, at: out.length, used: false });
          if (!modifier.endsWith('Shift')) out += `<${modifier}On>`;
        }
        continue;
      }
      const held = keyboard.held.find((h) => h.name === modifier);
      if (!held) {
        out += `<?${byte.toString(16)}>`;
        continue;
      }
      keyboard.held = keyboard.held.filter((h) => h !== held);
      if (modifier.endsWith('Shift')) {
        if (!held.used) out += `<${modifier}>`;
      } else if (held.used) {
        out += `<${modifier}Off>`;
      } else {
        // Tapped alone: <xOn> was the last thing written for it; make it one tap.
        const on = `<${modifier}On>`;
        const at = out.lastIndexOf(on);
        out = at >= 0 ? out.slice(0, at) + `<${modifier}>` + out.slice(at + on.length) : out + `<${modifier}>`;
      }
      continue;
    }
    const name = extended ? EXTENDED_NAMED.get(code) : NAMED.get(code);
    const chars = extended ? undefined : PRINTABLE.get(code);
    if (!name && !chars) {
      out += `<?${extended ? 'e0' : ''}${byte.toString(16).padStart(2, '0')}>`;
      continue;
    }
    if (release) continue; // typing happens on make
    for (const h of keyboard.held) h.used = true;
    out += chars ? chars[shifted() ? 1 : 0] : `<${name}>`;
  }
  return out;
}
