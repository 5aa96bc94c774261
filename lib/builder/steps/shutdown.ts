import type { Step } from '../../pipeline/step.js';
import { formatDuration } from '../../util/duration.js';
import type { SshConfig } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { beforePowerOff } from '../checkpoints.js';

/**
 * Powers the guest off cleanly: the shutdown command over SSH (or the ACPI power
 * button), then waits for the VM to stop. Past the timeout it presses the power button,
 * and as a last resort stops the VM (kills QEMU, powers VirtualBox off), saying so, since the disk may then be unclean.
 */
export interface ShutdownOptions {
  /** Run over SSH; null: the ACPI power button. */
  command: string | null;
  timeoutMs: number;
  /** With `ssh: none` the guest powers itself off: kiln only waits. */
  ssh: SshConfig | null;
  /** How long the guest gets to answer the ACPI power button once the timeout has passed; default 30 s. */
  acpiGraceMs?: number;
}

export function shutdown(options: ShutdownOptions): Step<BuildContext> {
  const { command, timeoutMs: timeout_ms, ssh } = options;
  return {
  name: 'shutdown',
  async run(ctx, signal) {
    const vm = need(ctx.vm, 'vm');
    const afterPowerOff = await beforePowerOff(ctx, signal);
    if (ssh === null) {
      ctx.log.info(`waiting up to ${formatDuration(timeout_ms)} for the guest to power itself off`);
    } else if (command !== null) {
      const session = need(ctx.ssh, 'ssh session');
      ctx.log.info(`shutting down: ${command}`);
      const result = await session.exec(command, {
        signal,
        stdin: command.includes('sudo -S') ? `${ssh.password ?? ''}\n` : undefined,
        onStdout: (line) => ctx.log.output('shutdown', line),
        onStderr: (line) => ctx.log.output('shutdown', line, 'stderr'),
      });
      if (!result.disconnected && result.exitCode !== 0 && result.exitCode !== null) {
        ctx.log.warn(`shutdown command exited with ${result.exitCode}: ${result.stderrTail.join(' ').trim() || 'no output'}`);
      }
    } else {
      ctx.log.info('shutting down: ACPI power button');
      await vm.powerdown();
    }
    await ctx.ssh?.close();
    ctx.ssh = undefined;

    if (await vm.waitForExit(timeout_ms, signal)) return afterPowerOff();
    ctx.log.warn(`the guest did not power off within ${formatDuration(timeout_ms)}; pressing the ACPI power button`);
    await vm.powerdown().catch(() => {}); // a VM that cannot take the button is stopped below
    if (await vm.waitForExit(options.acpiGraceMs ?? 30_000, signal)) return;
    ctx.log.warn(`the guest ignored the ACPI power button; stopping ${vm.label} (the disk may not have been synced)`);
    await vm.kill();
  },
  };
}
