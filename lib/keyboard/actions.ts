// What a boot command means, independent of how keys reach the guest: QMP
// `input-send-event` (qcodes as-is) or VirtualBox scancodes (see scancodes.ts).

/** One key going down or up. `qcode` is a QEMU QKeyCode name: 'a', 'shift', 'ret', 'f1'. */
export interface KeyEvent {
  qcode: string;
  down: boolean;
}

export type BootAction =
  /**
   * One key press as written: the events go to the guest as ONE batch (shift down,
   * a down, a up, shift up for 'A'; a single down for <leftShiftOn>), then the driver
   * waits boot.key_interval. `text` is what the user wrote ('A', '<enter>'), for logs.
   */
  | { kind: 'keys'; events: KeyEvent[]; text: string }
  | { kind: 'wait'; ms: number }
  /** <waitHttp /path>: until the guest has fetched this path from the embedded server. */
  | { kind: 'waitHttp'; path: string }
  /** <waitSerial "text"> or <waitSerial /re/> (then `text` is the RegExp source, no flags). */
  | { kind: 'waitSerial'; text: string; regex: boolean }
  /** <waitScreen "text">: until the text is on screen. */
  | { kind: 'waitScreen'; text: string };
