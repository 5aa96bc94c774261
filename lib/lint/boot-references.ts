// What a boot command asks of kiln's HTTP server: the paths in the URLs it types
// ("preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg") and <waitHttp> paths,
// each with the answer-file format its parameter implies. Pure: the command is parsed
// with the keyboard parser, so what is read here is exactly what would be typed.
import { parseBootCommand } from '../keyboard/parse.js';
import type { AnswerKind } from './problem.js';

/** Stands in for {{ .HTTPPort }} when the command is rendered for scanning. */
export const PORT_SENTINEL = '65535';

export interface BootReference {
  /** URL path as requested, e.g. "/preseed.cfg" or "/" (a NoCloud seed directory). */
  path: string;
  /** The word the URL is in, as typed ("inst.ks=http://10.0.2.2:65535/ks.cfg"). */
  word: string;
  /** The format the parameter implies: preseed/url=, inst.ks=, ds=nocloud;s=, setup-alpine -f. */
  kind?: AnswerKind | 'nocloud';
  /** False when the parameter only suggests the format (plain ks=, used by other installers too). */
  strong: boolean;
  /** Index of the boot.command line where the URL starts. */
  line: number;
}

export interface BootScan {
  references: BootReference[];
  /** <waitHttp /path>: the path, and the index of its boot.command line. */
  waits: { path: string; line: number }[];
  /** The text typed, special keys and waits as line breaks. */
  typed: string;
  /** The command drives GRUB (F10, Ctrl-X, or a typed linux line), where ";" ends a command. */
  grub: boolean;
}

const MODIFIERS = new Set(['ctrl', 'ctrl_r', 'alt', 'alt_r', 'meta_l', 'meta_r']);

/**
 * `rendered`: the boot.command lines with placeholders filled, {{ .HTTPPort }} as
 * PORT_SENTINEL. Each line is parsed on its own, as the build types it; what is found
 * carries the index of its line, for the message's position.
 */
export function scanBootCommand(rendered: string | readonly string[]): BootScan {
  const waits: BootScan['waits'] = [];
  let typed = '';
  // The boot.command line each character of `typed` came from.
  const lineAt: number[] = [];
  const type = (text: string, line: number) => {
    typed += text;
    for (let i = 0; i < text.length; i++) lineAt.push(line);
  };
  let grub = false;
  const held = new Set<string>();
  for (const [line, command] of (typeof rendered === 'string' ? [rendered] : rendered).entries()) {
    for (const action of parseBootCommand(command)) {
      if (action.kind === 'waitHttp') waits.push({ path: action.path, line });
      if (action.kind !== 'keys') {
        // A pause separates what comes before and after it ("c<wait>linux ...").
        type('\n', line);
        continue;
      }
      const modified = [...held].some((q) => MODIFIERS.has(q));
      for (const { qcode, down } of action.events) {
        if (down) held.add(qcode);
        else held.delete(qcode);
        if (down && (qcode === 'f10' || (qcode === 'x' && modified))) grub = true;
      }
      const char = action.text.length === 1 && !modified;
      if (char) type(action.text, line);
      else if (!action.events.every((e) => MODIFIERS.has(e.qcode) || e.qcode.startsWith('shift'))) type('\n', line);
    }
  }
  // Per line, with [ \t]: "\s*" after "\n" also spans the next lines, quadratic on many <enter>s.
  if (typed.split('\n').some((l) => /^[ \t]*linux(?:efi)?[ \t]+\//.test(l))) grub = true;
  return { references: findReferences(typed, lineAt), waits, typed, grub };
}

const PORT = `:${PORT_SENTINEL}`;
const isHostChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9.-]/.test(c);
const isPathChar = (c: string | undefined) => c !== undefined && !/[\s'"\\;<>]/.test(c);
/** No installer parameter name is longer; the bound keeps many URLs in one word linear. */
const MAX_PREFIX = 256;

/**
 * Every `host:PORT/path` (with an optional http:// or https://) in the typed text. A
 * linear scan from each ":PORT" outwards: a regex with an unanchored `[host chars]+`
 * before the port was retried from every character, seconds on a long command.
 */
function findReferences(typed: string, lineAt: readonly number[]): BootReference[] {
  const references: BootReference[] = [];
  let offset = 0;
  for (const line of typed.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const alpineEnd = setupAlpineEnd(line);
    let end = 0; // where the previous reference ended: a host cannot start before it
    // The word holding the last reference: several references in one word share it.
    let word = { start: -1, end: -1, text: '', previous: undefined as string | undefined };
    for (let port = line.indexOf(PORT); port >= 0; port = line.indexOf(PORT, Math.max(port + 1, end))) {
      let start = port;
      while (start > end && isHostChar(line[start - 1])) start--;
      if (start === port) continue;
      const scheme = /https?:\/\/$/i.exec(line.slice(Math.max(end, start - 8), start));
      if (scheme) start -= scheme[0].length;
      let pathEnd = port + PORT.length;
      if (line[pathEnd] === '/') while (isPathChar(line[pathEnd])) pathEnd++;
      end = pathEnd;
      if (start >= word.end) {
        const wordStart = line.lastIndexOf(' ', start - 1) + 1;
        const space = line.indexOf(' ', start);
        const wordEnd = space < 0 ? line.length : space;
        word = { start: wordStart, end: wordEnd, text: line.slice(wordStart, wordEnd), previous: wordBefore(line, wordStart) };
      }
      const path = decode(line.slice(port + PORT.length, pathEnd) || '/');
      const afterAlpine = alpineEnd >= 0 && alpineEnd < word.start;
      const kind = start - word.start > MAX_PREFIX ? { strong: false } : kindOf(line.slice(word.start, start), word.previous, afterAlpine);
      references.push({ path, word: word.text, ...kind, line: lineAt[lineStart + start] ?? 0 });
    }
  }
  return references;
}

/** Where the first word ending in "setup-alpine" ends (for `setup-alpine -f URL`), or -1. */
function setupAlpineEnd(line: string): number {
  const name = 'setup-alpine';
  for (let i = line.indexOf(name); i >= 0; i = line.indexOf(name, i + 1)) {
    if (/\s/.test(line[i + name.length] ?? '')) return i + name.length;
  }
  return -1;
}

/** The whitespace-separated word that ends before `at` (blanks skipped), if any. */
function wordBefore(line: string, at: number): string | undefined {
  let end = at;
  while (end > 0 && /\s/.test(line[end - 1]!)) end--;
  let start = end;
  while (start > 0 && !/\s/.test(line[start - 1]!)) start--;
  return start < end ? line.slice(start, end) : undefined;
}

/** `previous`: the word before the URL's; `afterAlpine`: a setup-alpine word comes before it on the line. */
function kindOf(prefix: string, previous: string | undefined, afterAlpine: boolean): Pick<BootReference, 'kind' | 'strong'> {
  const bare = prefix.replace(/^['"]/, '');
  if (/^(preseed\/url|url)=$/.test(bare)) return { kind: 'preseed', strong: true };
  if (/^inst\.ks=$/.test(bare)) return { kind: 'kickstart', strong: true };
  if (/^ks=$/.test(bare)) return { kind: 'kickstart', strong: false };
  if (/^ds=nocloud(-net)?.*\b(s|seedfrom)=$/.test(bare)) return { kind: 'nocloud', strong: true };
  if (bare === '' && previous === '-f' && afterAlpine) return { kind: 'alpine-answers', strong: true };
  return { strong: false };
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** References in `ds=nocloud;s=...` words whose ";" GRUB would take as the end of the linux command. */
export function unescapedNocloud(scan: BootScan): BootReference[] {
  if (!scan.grub) return [];
  return scan.references.filter((r) => r.kind === 'nocloud' && /^ds=nocloud(-net)?;/.test(r.word));
}
