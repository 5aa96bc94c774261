// Key tables for the US layout, in QEMU's QKeyCode names (qapi/ui.json), which is
// what QMP `input-send-event` takes. Every other key table in kiln (PC/XT scancodes)
// is keyed by these names too, so a qcode is kiln's one name for a physical key.

/** A printable character: the key that types it and whether shift must be down. */
export interface CharKey {
  qcode: string;
  shift: boolean;
}

// Pairs of [unshifted, shifted] characters on the same key.
const SHARED_KEYS: [string, string, string][] = [
  ['1', '!', '1'],
  ['2', '@', '2'],
  ['3', '#', '3'],
  ['4', '$', '4'],
  ['5', '%', '5'],
  ['6', '^', '6'],
  ['7', '&', '7'],
  ['8', '*', '8'],
  ['9', '(', '9'],
  ['0', ')', '0'],
  ['-', '_', 'minus'],
  ['=', '+', 'equal'],
  ['[', '{', 'bracket_left'],
  [']', '}', 'bracket_right'],
  ['\\', '|', 'backslash'],
  [';', ':', 'semicolon'],
  ["'", '"', 'apostrophe'],
  ['`', '~', 'grave_accent'],
  [',', '<', 'comma'],
  ['.', '>', 'dot'],
  ['/', '?', 'slash'],
];

function buildCharKeys(): ReadonlyMap<string, CharKey> {
  const keys = new Map<string, CharKey>([[' ', { qcode: 'spc', shift: false }]]);
  for (let c = 0x61; c <= 0x7a; c++) {
    const lower = String.fromCharCode(c);
    keys.set(lower, { qcode: lower, shift: false });
    keys.set(lower.toUpperCase(), { qcode: lower, shift: true });
  }
  for (const [plain, shifted, qcode] of SHARED_KEYS) {
    keys.set(plain, { qcode, shift: false });
    keys.set(shifted, { qcode, shift: true });
  }
  return keys;
}

/** Every printable ASCII character (0x20..0x7e) and how to type it on a US keyboard. */
export const CHAR_KEYS: ReadonlyMap<string, CharKey> = buildCharKeys();

/** The key for one printable ASCII character, or undefined when it cannot be typed. */
export function charKey(ch: string): CharKey | undefined {
  return CHAR_KEYS.get(ch);
}

/**
 * Special key names of the boot command language, as written in docs and suggestions,
 * mapped to qcodes. Lookups are case-insensitive: use `specialKey`.
 */
export const SPECIAL_KEYS: Readonly<Record<string, string>> = {
  enter: 'ret',
  return: 'ret',
  esc: 'esc',
  tab: 'tab',
  spacebar: 'spc',
  bs: 'backspace',
  del: 'delete',
  insert: 'insert',
  home: 'home',
  end: 'end',
  pageUp: 'pgup',
  pageDown: 'pgdn',
  menu: 'menu',
  up: 'up',
  down: 'down',
  left: 'left',
  right: 'right',
  f1: 'f1',
  f2: 'f2',
  f3: 'f3',
  f4: 'f4',
  f5: 'f5',
  f6: 'f6',
  f7: 'f7',
  f8: 'f8',
  f9: 'f9',
  f10: 'f10',
  f11: 'f11',
  f12: 'f12',
  leftAlt: 'alt',
  rightAlt: 'alt_r',
  leftCtrl: 'ctrl',
  rightCtrl: 'ctrl_r',
  leftShift: 'shift',
  rightShift: 'shift_r',
  leftSuper: 'meta_l',
  rightSuper: 'meta_r',
};

const SPECIAL_BY_LOWER = new Map(Object.entries(SPECIAL_KEYS).map(([name, q]) => [name.toLowerCase(), q]));

/** The qcode of a special key name, any case ("pageup", "PageUp"), or undefined. */
export function specialKey(name: string): string | undefined {
  return SPECIAL_BY_LOWER.get(name.toLowerCase());
}

/** Both shift keys: typing a shifted character while either is held needs no extra shift. */
export const SHIFT_QCODES: readonly string[] = ['shift', 'shift_r'];

/** Every qcode kiln ever sends, without duplicates. */
export const ALL_QCODES: readonly string[] = [
  ...new Set([...[...CHAR_KEYS.values()].map((k) => k.qcode), ...Object.values(SPECIAL_KEYS)]),
];
