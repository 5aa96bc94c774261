// Guest console output shown inside kiln's own output must not move the cursor, clear
// the screen or change colours: escape sequences and control characters are removed.
// (Attached sessions pass everything through untouched; this is for streamed lines.)

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and the other ESC sequences
// (ESC, optional intermediates, one final byte: ESC c, ESC 7, ESC ( B).
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]/g;
// Everything below space except tab and newline, and DEL.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function cleanConsoleText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r+\n/g, '\n').replace(/\r/g, '').replace(CONTROLS, '');
}
