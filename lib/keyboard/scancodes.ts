// PC/XT scancode set 1, for hypervisors that take raw keyboard bytes
// (VirtualBox `controlvm VM keyboardputscancode`). A key's make code is sent on press
// and make|0x80 on release; keys added after the XT (right-hand modifiers, the
// navigation block, Windows keys) send an 0xe0 prefix before either byte.

import { KilnError } from '../errors.js';
import type { KeyEvent } from './actions.js';

/** Set-1 make code and whether the key needs the 0xe0 prefix, keyed by qcode. */
export interface Scancode {
  make: number;
  extended: boolean;
}

const BASIC: Record<string, number> = {
  esc: 0x01,
  1: 0x02,
  2: 0x03,
  3: 0x04,
  4: 0x05,
  5: 0x06,
  6: 0x07,
  7: 0x08,
  8: 0x09,
  9: 0x0a,
  0: 0x0b,
  minus: 0x0c,
  equal: 0x0d,
  backspace: 0x0e,
  tab: 0x0f,
  q: 0x10,
  w: 0x11,
  e: 0x12,
  r: 0x13,
  t: 0x14,
  y: 0x15,
  u: 0x16,
  i: 0x17,
  o: 0x18,
  p: 0x19,
  bracket_left: 0x1a,
  bracket_right: 0x1b,
  ret: 0x1c,
  ctrl: 0x1d,
  a: 0x1e,
  s: 0x1f,
  d: 0x20,
  f: 0x21,
  g: 0x22,
  h: 0x23,
  j: 0x24,
  k: 0x25,
  l: 0x26,
  semicolon: 0x27,
  apostrophe: 0x28,
  grave_accent: 0x29,
  shift: 0x2a,
  backslash: 0x2b,
  z: 0x2c,
  x: 0x2d,
  c: 0x2e,
  v: 0x2f,
  b: 0x30,
  n: 0x31,
  m: 0x32,
  comma: 0x33,
  dot: 0x34,
  slash: 0x35,
  shift_r: 0x36,
  alt: 0x38,
  spc: 0x39,
  f1: 0x3b,
  f2: 0x3c,
  f3: 0x3d,
  f4: 0x3e,
  f5: 0x3f,
  f6: 0x40,
  f7: 0x41,
  f8: 0x42,
  f9: 0x43,
  f10: 0x44,
  f11: 0x57,
  f12: 0x58,
};

const EXTENDED: Record<string, number> = {
  ctrl_r: 0x1d,
  alt_r: 0x38,
  home: 0x47,
  up: 0x48,
  pgup: 0x49,
  left: 0x4b,
  right: 0x4d,
  end: 0x4f,
  down: 0x50,
  pgdn: 0x51,
  insert: 0x52,
  delete: 0x53,
  meta_l: 0x5b,
  meta_r: 0x5c,
  menu: 0x5d,
};

export const SCANCODES: ReadonlyMap<string, Scancode> = new Map([
  ...Object.entries(BASIC).map(([q, make]): [string, Scancode] => [q, { make, extended: false }]),
  ...Object.entries(EXTENDED).map(([q, make]): [string, Scancode] => [q, { make, extended: true }]),
]);

const hex = (byte: number) => byte.toString(16).padStart(2, '0');

/** The bytes for key events, in order, as two-digit lowercase hex: ['2a','1e','9e','aa']. */
export function encodeScancodes(events: readonly KeyEvent[]): string[] {
  const bytes: string[] = [];
  for (const { qcode, down } of events) {
    const code = SCANCODES.get(qcode);
    if (!code) {
      throw new KilnError('E_BOOT', `no PC/XT scancode for key "${qcode}"`, {
        hint: 'this key cannot be typed through a scancode keyboard; remove it from boot.command',
      });
    }
    if (code.extended) bytes.push('e0');
    bytes.push(hex(down ? code.make : code.make | 0x80));
  }
  return bytes;
}
