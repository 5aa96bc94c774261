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
  if (/(^|\n)\s*(linux|linuxefi)\s+\//.test(typed)) grub = true;
  return { references: findReferences(typed, lineAt), waits, typed, grub };
}

const URL = new RegExp(`(?:https?://)?[A-Za-z0-9.-]+:${PORT_SENTINEL}(/[^\\s'"\\\\;<>]*)?`, 'g');

function findReferences(typed: string, lineAt: readonly number[]): BootReference[] {
  const references: BootReference[] = [];
  let offset = 0;
  for (const line of typed.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    for (const m of line.matchAll(URL)) {
      const start = m.index!;
      const wordStart = Math.max(line.lastIndexOf(' ', start - 1) + 1, 0);
      const wordEnd = line.indexOf(' ', start) < 0 ? line.length : line.indexOf(' ', start);
      const word = line.slice(wordStart, wordEnd);
      const prefix = line.slice(wordStart, start);
      const before = line.slice(0, wordStart).trim().split(/\s+/);
      const path = decode(m[1] ?? '/');
      references.push({ path, word, ...kindOf(prefix, before), line: lineAt[lineStart + start] ?? 0 });
    }
  }
  return references;
}

function kindOf(prefix: string, before: string[]): Pick<BootReference, 'kind' | 'strong'> {
  const bare = prefix.replace(/^['"]/, '');
  if (/^(preseed\/url|url)=$/.test(bare)) return { kind: 'preseed', strong: true };
  if (/^inst\.ks=$/.test(bare)) return { kind: 'kickstart', strong: true };
  if (/^ks=$/.test(bare)) return { kind: 'kickstart', strong: false };
  if (/^ds=nocloud(-net)?.*\b(s|seedfrom)=$/.test(bare)) return { kind: 'nocloud', strong: true };
  if (bare === '' && before.at(-1) === '-f' && before.some((w) => w.endsWith('setup-alpine'))) return { kind: 'alpine-answers', strong: true };
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
