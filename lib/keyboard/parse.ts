// The boot command language: Packer's complete language plus kiln's waits
// (docs/boot-command.md). Pure: source text in, key events and waits out.
//
// Decisions where Packer is loose:
// - A '<' starts a special form only when a name follows it. '<' + name + '>' that is
//   not a known form (<entr>, <nope>) is an error with a suggestion, since it is
//   almost always a typo; Packer would type it silently. Any other '<' is typed
//   ("a < b", "<<", "<-x", "<b c>"). To type "<word>" literally, type the '<' as
//   <leftShiftOn>,<leftShiftOff> (shift+comma).
// - Line breaks (\n, \r) are layout and are not typed: Packer's drivers do not turn
//   them into Enter either, and a YAML block scalar's trailing newline must not press Enter.
//   Write <enter>. Other control characters, tab included, are errors: write <tab>.
// - Held keys are tracked as they would be on a real keyboard: a shifted character
//   typed while shift is down (<leftShiftOn>, <rightShiftOn>) does not touch shift,
//   so the user's hold survives. Keys still down at the end are NOT released here;
//   the driver releases heldAtEnd(actions) (held.ts) after typing, also on failure.

import type { BootAction, KeyEvent } from './actions.js';
import { charKey, SHIFT_QCODES, specialKey, type CharKey } from './qcodes.js';
import { suggestForm, ARGUMENT_FORMS } from './suggest.js';
import { BootCommandSyntaxError } from './syntax-error.js';
import { parseArgumentForm, waitMs } from './wait-forms.js';

export type { BootAction, KeyEvent } from './actions.js';
export { BootCommandSyntaxError } from './syntax-error.js';

// A name: letters first; digits, '.', '-' and '_' let <wait1.5s> and typos like <wait-1s> through.
const NAME = /[A-Za-z][A-Za-z0-9_.-]*/y;
const CHAR_TOGGLE = /([\x20-\x7e])(on|off)>/iy;

/** Parses a whole boot command (join the template's lines with '' first, as Packer does). */
export function parseBootCommand(source: string): BootAction[] {
  return new Parser(source).run();
}

class Parser {
  readonly actions: BootAction[] = [];
  /** Keys currently down, as the guest sees them. */
  readonly held = new Set<string>();
  /** Keys whose <XOn> also pressed shift (e.g. <AOn>); their <XOff> releases it. */
  readonly shiftedHolds = new Set<string>();

  constructor(readonly source: string) {}

  run(): BootAction[] {
    let i = 0;
    while (i < this.source.length) {
      const end = this.source[i] === '<' ? this.angle(i) : undefined;
      i = end ?? this.literal(i);
    }
    return this.actions;
  }

  /** Types the character at `i`; returns the index after it. */
  literal(i: number): number {
    const ch = this.source[i]!;
    if (ch === '\n' || ch === '\r') return i + 1;
    const key = charKey(ch);
    if (!key) throw untypeable(this.source, i);
    this.keys(this.tap(key), ch);
    return i + 1;
  }

  /** A special form at the '<' at `start`: index after it, or undefined if the '<' is literal. */
  angle(start: number): number | undefined {
    const { source } = this;
    CHAR_TOGGLE.lastIndex = start + 1;
    const toggle = CHAR_TOGGLE.exec(source);
    if (toggle) {
      const end = CHAR_TOGGLE.lastIndex;
      this.toggleChar(toggle[1]!, toggle[2]!.toLowerCase() === 'on', source.slice(start, end));
      return end;
    }
    NAME.lastIndex = start + 1;
    const name = NAME.exec(source)?.[0];
    if (name === undefined) return undefined;
    const lower = name.toLowerCase();
    const after = start + 1 + name.length;
    if (Object.hasOwn(ARGUMENT_FORMS, lower)) {
      const { action, end } = parseArgumentForm(source, start, after, lower);
      this.actions.push(action);
      return end;
    }
    if (source[after] === '>') {
      this.named(name, start, after + 1);
      return after + 1;
    }
    // "install<enter", "<esc<wait>", "<wait5": a key or wait without its ">" would be
    // typed as text without a word. To type such text, the escape types the '<'.
    if (!isBlank(source[after])) {
      if (!isKnownName(name)) return undefined;
      throw new BootCommandSyntaxError(
        `<${name} is missing its ">": it would be typed as text, not pressed`,
        start,
        `write <${name}> to press it; to type "<${name}" as text, write <leftShiftOn>,<leftShiftOff>${name}`,
      );
    }
    // "<wait 5>", "<enter >" or "<waitHtp /x>": a form meant, but malformed; else text.
    const closesRightAway = /^[ \t]+>/.test(source.slice(after, after + 80));
    const suggestion =
      closesRightAway && isKnownName(name) ? `<${name}>`
      : lower === 'wait' ? '<wait5>'
      : suggestForm(name);
    if (suggestion && (closesRightAway || lower === 'wait' || suggestion.includes(' '))) {
      throw new BootCommandSyntaxError(
        `malformed <${name} ...>: did you mean ${suggestion}?`,
        start,
        lower === 'wait' ? 'write the duration right after wait: <wait5>, <wait250ms>, <wait1m30s>' : undefined,
      );
    }
    return undefined;
  }

  /** <name> with nothing but the name between the brackets. */
  named(name: string, start: number, end: number): void {
    const written = this.source.slice(start, end);
    const lower = name.toLowerCase();
    if (lower.startsWith('wait')) {
      const ms = waitMs(name.slice(4), start, written);
      if (ms !== undefined) {
        this.actions.push({ kind: 'wait', ms });
        return;
      }
    }
    const tapped = specialKey(name);
    if (tapped) {
      this.held.delete(tapped);
      this.keys([{ qcode: tapped, down: true }, { qcode: tapped, down: false }], written);
      return;
    }
    const hold = /^(.+?)(on|off)$/i.exec(name);
    const qcode = hold && specialKey(hold[1]!);
    if (hold && qcode) {
      const down = hold[2]!.toLowerCase() === 'on';
      if (down) this.held.add(qcode);
      else this.held.delete(qcode);
      this.keys([{ qcode, down }], written);
      return;
    }
    const suggestion = suggestForm(name);
    throw new BootCommandSyntaxError(
      `unknown special key ${written}${suggestion ? `: did you mean ${suggestion}?` : ''}`,
      start,
      "names are case-insensitive and listed in docs/boot-command.md; to type a literal '<' before a word, write <leftShiftOn>,<leftShiftOff>",
    );
  }

  /** Packer's <aOn>/<aOff>: hold or release the key of one character. */
  toggleChar(ch: string, down: boolean, written: string): void {
    const key = charKey(ch)!;
    const events: KeyEvent[] = [];
    if (down) {
      if (key.shift && !this.shiftDown()) {
        events.push({ qcode: 'shift', down: true });
        this.held.add('shift');
        this.shiftedHolds.add(key.qcode);
      }
      events.push({ qcode: key.qcode, down: true });
      this.held.add(key.qcode);
    } else {
      events.push({ qcode: key.qcode, down: false });
      this.held.delete(key.qcode);
      if (this.shiftedHolds.delete(key.qcode) && this.held.delete('shift')) {
        events.push({ qcode: 'shift', down: false });
      }
    }
    this.keys(events, written);
  }

  /** Press and release a character's key, adding shift unless it is already down. */
  tap(key: CharKey): KeyEvent[] {
    const press = [
      { qcode: key.qcode, down: true },
      { qcode: key.qcode, down: false },
    ];
    if (!key.shift || this.shiftDown()) return press;
    return [{ qcode: 'shift', down: true }, ...press, { qcode: 'shift', down: false }];
  }

  shiftDown(): boolean {
    return SHIFT_QCODES.some((q) => this.held.has(q));
  }

  keys(events: KeyEvent[], text: string): void {
    this.actions.push({ kind: 'keys', events, text });
  }
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Whether <name> alone would be a known form, for "<enter >" style slips. */
function isKnownName(name: string): boolean {
  return /^wait(\d[\w.]*)?$/i.test(name) || specialKey(name.replace(/(on|off)$/i, '')) !== undefined || specialKey(name) !== undefined;
}

function untypeable(source: string, i: number): BootCommandSyntaxError {
  const code = source.codePointAt(i)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0x09) {
    return new BootCommandSyntaxError(`a literal tab (${hex}) cannot be typed`, i, 'write <tab> to press the Tab key');
  }
  if (code < 0x20 || code === 0x7f) {
    return new BootCommandSyntaxError(`control character ${hex} cannot be typed`, i, 'use special keys such as <enter>, <tab> or <bs> instead');
  }
  return new BootCommandSyntaxError(
    `"${String.fromCodePoint(code)}" (${hex}) is not on the US keyboard`,
    i,
    'boot commands type through a US-layout keyboard: use printable ASCII characters and special keys only',
  );
}
