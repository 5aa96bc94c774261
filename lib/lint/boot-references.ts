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
}

export interface BootScan {
  references: BootReference[];
  /** Paths of <waitHttp /path>. */
  waits: string[];
  /** The text typed, special keys and waits as line breaks. */
  typed: string;
  /** The command drives GRUB (F10, Ctrl-X, or a typed linux line), where ";" ends a command. */
  grub: boolean;
}

const MODIFIERS = new Set(['ctrl', 'ctrl_r', 'alt', 'alt_r', 'meta_l', 'meta_r']);

/** `rendered`: the joined boot command with placeholders filled, {{ .HTTPPort }} as PORT_SENTINEL. */
export function scanBootCommand(rendered: string): BootScan {
  const waits: string[] = [];
  let typed = '';
  let grub = false;
  const held = new Set<string>();
  for (const action of parseBootCommand(rendered)) {
    if (action.kind === 'waitHttp') waits.push(action.path);
    if (action.kind !== 'keys') {
      // A pause separates what comes before and after it ("c<wait>linux ...").
      typed += '\n';
      continue;
    }
    const modified = [...held].some((q) => MODIFIERS.has(q));
    for (const { qcode, down } of action.events) {
      if (down) held.add(qcode);
      else held.delete(qcode);
      if (down && (qcode === 'f10' || (qcode === 'x' && modified))) grub = true;
    }
    const char = action.text.length === 1 && !modified;
    if (char) typed += action.text;
    else if (!action.events.every((e) => MODIFIERS.has(e.qcode) || e.qcode.startsWith('shift'))) typed += '\n';
  }
  if (/(^|\n)\s*(linux|linuxefi)\s+\//.test(typed)) grub = true;
  return { references: findReferences(typed), waits, typed, grub };
}

const URL = new RegExp(`(?:https?://)?[A-Za-z0-9.-]+:${PORT_SENTINEL}(/[^\\s'"\\\\;<>]*)?`, 'g');

function findReferences(typed: string): BootReference[] {
  const references: BootReference[] = [];
  for (const line of typed.split('\n')) {
    for (const m of line.matchAll(URL)) {
      const start = m.index!;
      const wordStart = Math.max(line.lastIndexOf(' ', start - 1) + 1, 0);
      const wordEnd = line.indexOf(' ', start) < 0 ? line.length : line.indexOf(' ', start);
      const word = line.slice(wordStart, wordEnd);
      const prefix = line.slice(wordStart, start);
      const before = line.slice(0, wordStart).trim().split(/\s+/);
      const path = decode(m[1] ?? '/');
      references.push({ path, word, ...kindOf(prefix, before) });
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

/** `ds=nocloud;s=...` words whose ";" GRUB would take as the end of the linux command. */
export function unescapedNocloud(scan: BootScan): string[] {
  if (!scan.grub) return [];
  return scan.references
    .filter((r) => r.kind === 'nocloud' && /^ds=nocloud(-net)?;/.test(r.word))
    .map((r) => r.word);
}
