// The guest side of shrinking, as a pure function: a POSIX sh script (busybox ash,
// dash and bash all run it) that frees the blocks deleted files left behind, so the
// exported images only hold live data.
//
// Every writable local filesystem is trimmed with fstrim when the disk passes discards
// through (machine.disk_discard) and fstrim works there; otherwise its free space is
// filled with zeros and the file removed. Either way QEMU (discard=unmap,
// detect-zeroes=unmap) drops those clusters from the work disk, and qemu-img convert
// skips them. busybox fstrim takes one mount point and no -a, hence the loop.
//
// Given how much data the disk holds (the host measures it), a check first adds up what
// the filesystems use: the difference bounds what any trim can give back (blocks that
// hold data no file owns). Under SHRINK_WORTH_BYTES the trim, seconds of discards over
// all free space under emulation, is skipped. The check needs no root (df), so it runs
// before, and instead of, the sudo the trim needs: a sudo costs the guest half a second
// under emulation.
import { shellQuote } from '../ssh/shell-quote.js';

export interface ShrinkScriptInput {
  /** Try fstrim before falling back to zero-filling. */
  discard: boolean;
  /** The mount table to read; default /proc/mounts (tests point it elsewhere). */
  mounts?: string;
}

/** Below this much data that no file owns, shrinking is skipped: it could not give back more. */
export const SHRINK_WORTH_BYTES = 32 * 1024 * 1024;

/** Filesystems worth shrinking; anything else (tmpfs, proc, network mounts) is skipped. */
export const SHRINK_FILESYSTEMS = ['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs', 'vfat'];

/** Each filesystem's result is one line: "kiln-shrink: <mount> trimmed|zeroed|failed|skipped". */
export const SHRINK_RESULT = /^kiln-shrink: (\S+) (trimmed|zeroed|failed|skipped)$/;

/** What the filesystems use, in KiB: "kiln-shrink: used <KiB>" (printed by the check). */
const SHRINK_USED = /^kiln-shrink: used (\d+)$/;

/** The mounts worth shrinking, by awk over the mount table: rw, a listed filesystem, no blank in the path. */
function localMounts(table: string): { condition: string; table: string } {
  // /proc/mounts escapes blanks in paths (\\040); those mounts are skipped.
  return { condition: `$4 ~ /(^|,)rw(,|$)/ && $3 ~ /^(${SHRINK_FILESYSTEMS.join('|')})$/ && $2 !~ /\\\\/`, table: shellQuote(table) };
}

/** The trim (root): fstrim, else zeros, on every writable local filesystem. */
export function shrinkScript(input: ShrinkScriptInput): string {
  const { condition, table } = localMounts(input.mounts ?? '/proc/mounts');
  return [
    '#!/bin/sh',
    'set -u',
    `discard=${input.discard ? 1 : 0}`,
    `mounts=$(awk '${condition} { print $2 }' ${table} | sort -u)`,
    'sync',
    'for m in $mounts; do',
    '  if [ "$discard" = 1 ] && command -v fstrim >/dev/null 2>&1 && fstrim "$m" 2>/dev/null; then',
    '    echo "kiln-shrink: $m trimmed"',
    '    continue',
    '  fi',
    '  f="${m%/}/.kiln-zero-fill"',
    // dd stops when the filesystem is full: that is the point, not an error.
    '  dd if=/dev/zero of="$f" bs=1M 2>/dev/null',
    '  sync',
    '  if [ -e "$f" ]; then rm -f "$f"; sync; echo "kiln-shrink: $m zeroed"; else echo "kiln-shrink: $m failed"; fi',
    'done',
    // Makes QEMU write out the metadata of what was discarded, so the image file shows it now.
    'sync',
    '',
  ].join('\n');
}

/**
 * The worth check (no root), given the data the disk holds through its backing chain
 * (imageDataBytes): adds up what each filesystem uses (once per device: bind mounts and
 * btrfs subvolumes share one) and exits 0 when the disk's data exceeds that by
 * SHRINK_WORTH_BYTES or more; else says each mount is skipped and exits 1. A df that
 * fails counts nothing: the trim then runs.
 */
export function shrinkCheckScript(input: { diskDataBytes: number; mounts?: string }): string {
  const { condition, table } = localMounts(input.mounts ?? '/proc/mounts');
  return [
    '#!/bin/sh',
    'set -u',
    'used=0',
    `for m in $(awk '${condition} && !seen[$1]++ { print $2 }' ${table}); do`,
    '  u=$(df -Pk "$m" 2>/dev/null | awk \'NR == 2 { print $3 }\')',
    '  used=$((used + ${u:-0}))',
    'done',
    'echo "kiln-shrink: used $used"',
    `if [ $((${Math.floor(input.diskDataBytes / 1024)} - used)) -lt ${SHRINK_WORTH_BYTES / 1024} ]; then`,
    `  for m in $(awk '${condition} { print $2 }' ${table} | sort -u); do echo "kiln-shrink: $m skipped"; done`,
    '  exit 1',
    'fi',
    '',
  ].join('\n');
}

export interface ShrinkResult {
  mount: string;
  outcome: 'trimmed' | 'zeroed' | 'failed' | 'skipped';
}

/** The result lines among the script's output lines. */
export function parseShrinkOutput(lines: string[]): ShrinkResult[] {
  return lines.flatMap((line) => {
    const m = SHRINK_RESULT.exec(line.trim());
    return m ? [{ mount: m[1]!, outcome: m[2] as ShrinkResult['outcome'] }] : [];
  });
}

/** What the filesystems use in bytes, when the script measured it. */
export function parseShrinkUsed(lines: string[]): number | undefined {
  for (const line of lines) {
    const m = SHRINK_USED.exec(line.trim());
    if (m) return Number(m[1]) * 1024;
  }
  return undefined;
}
