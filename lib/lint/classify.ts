// Which served files kiln lints, and as what. The rule (docs/distributions.md):
//  1. A file the boot command names through an installer parameter is that format:
//     preseed/url= or url= (preseed), inst.ks= (kickstart), ds=nocloud;s=DIR/ (DIR's
//     user-data and meta-data), setup-alpine -f (Alpine answers).
//  2. Otherwise a served file is recognised by its name: preseed.cfg, *.preseed, *.seed;
//     ks.cfg, *.ks, kickstart*.cfg; user-data, meta-data; answers, *.answers; *.sh.
//  3. A preseed, kickstart or answers file found only by name (or by a plain ks=, which
//     other installers use too) is linted only if its content looks like that format,
//     so an unrelated file that happens to be called ks.cfg is left alone.
// Pure.
import type { BootReference } from './boot-references.js';
import { KICKSTART_COMMANDS, KICKSTART_SECTIONS } from './kickstart-commands.js';
import type { AnswerKind } from './problem.js';

export interface LintTarget {
  kind: AnswerKind;
  /** Named by the boot command through its installer parameter: linted whatever it looks like. */
  strong: boolean;
}

export function kindByName(path: string): AnswerKind | undefined {
  const base = path.split('/').pop()!.toLowerCase();
  if (base === 'preseed.cfg' || base.endsWith('.preseed') || base.endsWith('.seed') || /^preseed[-_.].*\.cfg$/.test(base)) return 'preseed';
  if (base === 'ks.cfg' || base.endsWith('.ks') || /^(ks|kickstart)[-_.].*\.cfg$/.test(base) || base === 'kickstart.cfg') return 'kickstart';
  if (base === 'user-data') return 'user-data';
  if (base === 'meta-data') return 'meta-data';
  if (base === 'answers' || base.endsWith('.answers')) return 'alpine-answers';
  if (base.endsWith('.sh')) return 'shell';
  return undefined;
}

/** URL path -> how to lint it, for every served path that is linted. */
export function chooseTargets(served: Iterable<string>, references: readonly BootReference[]): Map<string, LintTarget> {
  const targets = new Map<string, LintTarget>();
  for (const path of served) {
    const kind = kindByName(path);
    if (kind) targets.set(path, { kind, strong: kind === 'user-data' || kind === 'meta-data' || kind === 'shell' });
  }
  for (const ref of references) {
    if (ref.kind === 'nocloud') {
      const dir = ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
      targets.set(`${dir}user-data`, { kind: 'user-data', strong: true });
      targets.set(`${dir}meta-data`, { kind: 'meta-data', strong: true });
    } else if (ref.kind) {
      const known = targets.get(ref.path);
      if (!known?.strong || ref.strong) targets.set(ref.path, { kind: ref.kind, strong: ref.strong });
    }
  }
  return targets;
}

// [ \t], not \s: with /m, "^\s*" spans following blank lines and is retried at each
// of them, quadratic on a file of many empty lines.
const PRESEED_LINE = /^[ \t]*[a-z0-9][a-z0-9.+-]*[ \t]+[A-Za-z0-9._+-]+\/\S+[ \t]+\S+/m;
const ANSWERS_LINE = /^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*OPTS=/m;

/** Whether `text` looks like `kind`, for files only their name points at. */
export function looksLike(kind: AnswerKind, text: string): boolean {
  if (kind === 'preseed') return PRESEED_LINE.test(text);
  if (kind === 'alpine-answers') return ANSWERS_LINE.test(text);
  if (kind !== 'kickstart') return true;
  const words = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((w) => w !== '' && !w.startsWith('#'));
  if (words.some((w) => Object.hasOwn(KICKSTART_SECTIONS, w))) return true;
  const known = words.filter((w) => Object.hasOwn(KICKSTART_COMMANDS, w)).length;
  return words.length > 0 && known * 2 >= words.length;
}
