import { CancelledError } from '../../errors.js';
import { imageDataBytes } from '../../export/image-data.js';
import { parseShrinkOutput, parseShrinkUsed, SHRINK_WORTH_BYTES, shrinkCheckScript, shrinkScript } from '../../export/shrink-script.js';
import type { Step } from '../../pipeline/step.js';
import { inlineShellCommand } from '../../provision/shell-command.js';
import type { SshConfig } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { formatSize } from '../../util/size.js';

/**
 * Before shutdown: frees the blocks of deleted files in the guest (fstrim, or zeros
 * over the free space), so the work disk, and every image converted from it, holds
 * only live data. Reports the data the work disk holds before and after. Shrinking
 * only saves space: when it cannot run (no sudo) the build warns and goes on. The script
 * goes on the command line, not uploaded: one round trip, which counts under emulation.
 * When the filesystems use nearly all the data the disk holds, there is nothing to free
 * and the guest skips it, without sudo (shrink-script.ts).
 */
export function shrinkDisk(options: { ssh: SshConfig; discard: boolean }): Step<BuildContext> {
  const { ssh } = options;
  return {
  name: 'shrink',
  async run(ctx, signal) {
    const disk = need(ctx.disk, 'disk');
    const session = need(ctx.ssh, 'ssh session');
    // A guest sync makes QEMU write its qcow2 metadata out (even with cache=unsafe), so
    // the image file tells the truth while the VM still runs. A checkpoint just did that:
    // under emulation another round trip costs about a second.
    if (!ctx.guestSynced) await session.exec('sync', { signal }).catch(() => {}); // best effort: the measurement is only less exact without it
    const before = await imageDataBytes(disk.path, signal);
    const output: string[] = [];
    try {
      const command = inlineShellCommand({
        script: shrinkScript({ discard: options.discard }),
        onlyIf: shrinkCheckScript({ diskDataBytes: before }),
        sudo: ssh.username !== 'root',
        ...(ssh.password !== undefined ? { sudoPassword: ssh.password } : {}),
      });
      const result = await session.exec(command.command, {
        env: command.env,
        stdin: command.stdin,
        signal,
        onStdout: (line) => {
          output.push(line);
          ctx.log.debug(`shrink | ${line}`);
        },
        onStderr: (line) => ctx.log.output('shrink', line, 'stderr'),
      });
      if (result.exitCode !== 0) {
        ctx.log.warn(`shrinking failed (exit ${result.exitCode ?? result.signal ?? 'unknown'}): the images are exported unshrunk`);
        return;
      }
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) throw error;
      ctx.log.warn(`shrinking failed: ${(error as Error).message}; the images are exported unshrunk`);
      return;
    }
    const results = parseShrinkOutput(output);
    const skipped = results.length > 0 && results.every((r) => r.outcome === 'skipped');
    const after = skipped ? before : await imageDataBytes(disk.path, signal);
    ctx.shrink = { before, after, filesystems: results };
    const how = results.length ? results.map((r) => `${r.mount} ${r.outcome}`).join(', ') : 'no writable local filesystem found';
    const used = parseShrinkUsed(output);
    const why = skipped && used !== undefined ? ` (the filesystems use ${formatSize(used)}: at most ${formatSize(Math.max(0, before - used))} could be freed, under the ${formatSize(SHRINK_WORTH_BYTES)} worth a trim)` : '';
    ctx.log.info(`shrink: ${how}${why}; disk data ${formatSize(before)} -> ${formatSize(after)}`);
  },
  };
}
