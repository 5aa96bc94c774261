// The shrink script run for real by /bin/sh against a made-up mount table, with fstrim,
// dd and sync replaced by stubs on PATH that record what they were asked to do.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseShrinkOutput, parseShrinkUsed, SHRINK_WORTH_BYTES, shrinkCheckScript, shrinkScript } from '../../lib/export/shrink-script.js';
import { inlineShellCommand } from '../../lib/provision/shell-command.js';

const root = mkdtempSync(join(tmpdir(), 'kiln-shrink-'));

interface Run {
  stdout: string[];
  calls: string[];
}

/**
 * Runs the script with `mounts` as its /proc/mounts. The stub fstrim succeeds unless
 * the mount point is listed in FAIL_TRIM; the stub dd writes a small file and fails
 * like a full disk does.
 */
async function run(discard: boolean, mounts: string, options: { failTrim?: string[]; noFstrim?: boolean; diskDataBytes?: number; usedKib?: Record<string, number> } = {}): Promise<Run> {
  const dir = mkdtempSync(join(root, 'run-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  if (!options.noFstrim) stub('fstrim', `for m in ${(options.failTrim ?? []).join(' ')}; do [ "$1" = "$m" ] && exit 1; done; exit 0`);
  stub('dd', 'for a; do case "$a" in of=*) echo zeros > "${a#of=}";; esac; done; exit 1');
  stub('sync', 'exit 0');
  // df -Pk MOUNT: a header and the mount's line, its "Used" KiB from usedKib; fails for others.
  const used = Object.entries(options.usedKib ?? {}).map(([m, kib]) => `  [ "$2" = "${m.replaceAll('$DIR', dir)}" ] && { echo "Filesystem 1024-blocks Used Available Capacity Mounted on"; echo "/dev/x 9999999 ${kib} 1 1% $2"; exit 0; }`);
  stub('df', `${used.join('\n')}\nexit 1`);
  const table = join(dir, 'mounts');
  writeFileSync(table, mounts.replaceAll('$DIR', dir));
  // As the shrink step sends them: the check (when the disk's data is known) decides whether the trim runs.
  const script = shrinkScript({ discard, mounts: table });
  const onlyIf = options.diskDataBytes === undefined ? {} : { onlyIf: shrinkCheckScript({ diskDataBytes: options.diskDataBytes, mounts: table }) };
  const { command } = inlineShellCommand({ script, sudo: false, ...onlyIf });
  // PATH has only the stubs and what the script needs besides: awk, sort, rm.
  const result = await execa('/bin/sh', ['-c', command], { env: { PATH: `${bin}:/usr/bin:/bin` }, reject: false });
  assert.is(result.exitCode, 0, result.stderr);
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => l.replaceAll(dir, '$DIR')) : [];
  return { stdout: result.stdout.split('\n').filter(Boolean).map((l) => l.replaceAll(dir, '$DIR')), calls };
}

const MOUNTS = [
  '/dev/vda1 $DIR/root ext4 rw,relatime 0 0',
  '/dev/vda2 $DIR/boot ext2 rw,noatime 0 0',
  'proc /proc proc rw,nosuid 0 0',
  'tmpfs $DIR/tmp tmpfs rw 0 0',
  '/dev/vdb1 $DIR/ro ext4 ro,relatime 0 0',
  '/dev/vdc1 $DIR/with\\040space xfs rw 0 0',
  '',
].join('\n');

test('with discard, every writable local filesystem is trimmed; nothing else is touched', async () => {
  const r = await run(true, MOUNTS);
  assert.equal(r.stdout, ['kiln-shrink: $DIR/boot trimmed', 'kiln-shrink: $DIR/root trimmed']);
  assert.equal(r.calls.filter((c) => !c.startsWith('sync')), ['fstrim $DIR/boot', 'fstrim $DIR/root']);
});

test('a filesystem fstrim refuses is zero-filled instead, and the fill file removed', async () => {
  const dir = mkdtempSync(join(root, 'fs-'));
  mkdirSync(join(dir, 'root'));
  const r = await run(true, `/dev/vda1 ${dir}/root ext4 rw 0 0\n/dev/vda2 ${dir}/boot ext4 rw 0 0\n`, { failTrim: [`${dir}/root`] });
  assert.equal(r.stdout, [`kiln-shrink: ${dir}/boot trimmed`, `kiln-shrink: ${dir}/root zeroed`]);
  assert.ok(r.calls.includes(`dd if=/dev/zero of=${dir}/root/.kiln-zero-fill bs=1M`), r.calls.join('\n'));
  assert.not.ok(existsSync(join(dir, 'root', '.kiln-zero-fill')), 'fill file left behind');
});

test('without discard, fstrim is never tried: zeros it is', async () => {
  const dir = mkdtempSync(join(root, 'fs-'));
  mkdirSync(join(dir, 'data'));
  const r = await run(false, `/dev/vda1 ${dir}/data ext4 rw 0 0\n`);
  assert.equal(r.stdout, [`kiln-shrink: ${dir}/data zeroed`]);
  assert.not.ok(r.calls.some((c) => c.startsWith('fstrim')));
});

test('a guest without fstrim falls back to zeros', async () => {
  const dir = mkdtempSync(join(root, 'fs-'));
  mkdirSync(join(dir, 'data'));
  const r = await run(true, `/dev/vda1 ${dir}/data ext4 rw 0 0\n`, { noFstrim: true });
  assert.equal(r.stdout, [`kiln-shrink: ${dir}/data zeroed`]);
});

test('root "/" makes a fill file at /.kiln-zero-fill, not //', () => {
  assert.match(shrinkScript({ discard: false }), /f="\$\{m%\/\}\/\.kiln-zero-fill"/);
});

test('a filesystem that cannot be filled is reported as failed', async () => {
  const r = await run(false, '/dev/vda1 /nonexistent-kiln-mount ext4 rw 0 0\n');
  assert.equal(r.stdout, ['kiln-shrink: /nonexistent-kiln-mount failed']);
});

const MIB = 1024 * 1024;
const TWO_DISKS = '/dev/vda1 $DIR/root ext4 rw 0 0\n/dev/vda1 $DIR/bind ext4 rw 0 0\n/dev/vda2 $DIR/boot ext2 rw 0 0\n';
const USED = { '$DIR/root': 300 * 1024, '$DIR/bind': 300 * 1024, '$DIR/boot': 20 * 1024 };

test('the filesystems use nearly all the data the disk holds: every mount is skipped, nothing trimmed', async () => {
  // 320 MiB used (the bind mount of vda1 counted once); the disk holds 340 MiB: 20 MiB at most to free.
  const r = await run(true, TWO_DISKS, { diskDataBytes: 340 * MIB, usedKib: USED });
  assert.equal(r.stdout, ['kiln-shrink: used 327680', 'kiln-shrink: $DIR/bind skipped', 'kiln-shrink: $DIR/boot skipped', 'kiln-shrink: $DIR/root skipped']);
  assert.not.ok(r.calls.some((c) => c.startsWith('fstrim') || c.startsWith('dd')), r.calls.join('\n'));
  assert.is(parseShrinkUsed(r.stdout), 320 * MIB);
  assert.ok(20 * MIB < SHRINK_WORTH_BYTES, 'the case is under the threshold');
});

test('data beyond what the filesystems use, by the threshold or more: every filesystem is trimmed', async () => {
  const r = await run(true, TWO_DISKS, { diskDataBytes: 320 * MIB + SHRINK_WORTH_BYTES, usedKib: USED });
  assert.equal(r.stdout, ['kiln-shrink: used 327680', 'kiln-shrink: $DIR/bind trimmed', 'kiln-shrink: $DIR/boot trimmed', 'kiln-shrink: $DIR/root trimmed']);
});

test('a df that fails counts nothing, so the trim runs', async () => {
  const r = await run(true, TWO_DISKS, { diskDataBytes: 340 * MIB, usedKib: { '$DIR/boot': 20 * 1024 } });
  assert.equal(r.stdout[0], 'kiln-shrink: used 20480');
  assert.ok(r.stdout.includes('kiln-shrink: $DIR/root trimmed'), r.stdout.join('\n'));
});

const outputs: [string, string[], ReturnType<typeof parseShrinkOutput>][] = [
  ['results among other lines', ['noise', 'kiln-shrink: / trimmed', '  kiln-shrink: /boot zeroed  '], [{ mount: '/', outcome: 'trimmed' }, { mount: '/boot', outcome: 'zeroed' }]],
  ['a failure', ['kiln-shrink: /data failed'], [{ mount: '/data', outcome: 'failed' }]],
  ['a skipped mount; the used line is no result', ['kiln-shrink: used 12', 'kiln-shrink: / skipped'], [{ mount: '/', outcome: 'skipped' }]],
  ['unknown outcomes are not results', ['kiln-shrink: / exploded', 'kiln-shrink: trimmed'], []],
];
for (const [label, lines, want] of outputs) {
  test(`parseShrinkOutput: ${label}`, () => assert.equal(parseShrinkOutput(lines), want));
}

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
