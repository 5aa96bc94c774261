// The guest side of shrinking, as a pure function: a POSIX sh script (busybox ash,
// dash and bash all run it) that frees the blocks deleted files left behind, so the
// exported images only hold live data.
//
// Every writable local filesystem is trimmed with fstrim when the disk passes discards
// through (machine.disk_discard) and fstrim works there; otherwise its free space is
// filled with zeros and the file removed. Either way QEMU (discard=unmap,
// detect-zeroes=unmap) drops those clusters from the work disk, and qemu-img convert
// skips them. busybox fstrim takes one mount point and no -a, hence the loop.
import { shellQuote } from '../ssh/shell-quote.js';

export interface ShrinkScriptInput {
  /** Try fstrim before falling back to zero-filling. */
  discard: boolean;
  /** The mount table to read; default /proc/mounts (tests point it elsewhere). */
  mounts?: string;
}

/** Filesystems worth shrinking; anything else (tmpfs, proc, network mounts) is skipped. */
export const SHRINK_FILESYSTEMS = ['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs', 'vfat'];

/** Each filesystem's result is one line: "kiln-shrink: <mount> trimmed|zeroed|failed". */
export const SHRINK_RESULT = /^kiln-shrink: (\S+) (trimmed|zeroed|failed)$/;

export function shrinkScript(input: ShrinkScriptInput): string {
  return [
    '#!/bin/sh',
    'set -u',
    `discard=${input.discard ? 1 : 0}`,
    // /proc/mounts escapes blanks in paths (\\040); those mounts are skipped.
    `mounts=$(awk '$4 ~ /(^|,)rw(,|$)/ && $3 ~ /^(${SHRINK_FILESYSTEMS.join('|')})$/ && $2 !~ /\\\\/ { print $2 }' ${shellQuote(input.mounts ?? '/proc/mounts')} | sort -u)`,
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

export interface ShrinkResult {
  mount: string;
  outcome: 'trimmed' | 'zeroed' | 'failed';
}

/** The result lines among the script's output lines. */
export function parseShrinkOutput(lines: string[]): ShrinkResult[] {
  return lines.flatMap((line) => {
    const m = SHRINK_RESULT.exec(line.trim());
    return m ? [{ mount: m[1]!, outcome: m[2] as ShrinkResult['outcome'] }] : [];
  });
}
