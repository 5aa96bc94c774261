import type { Step } from '../../pipeline/step.js';
import { shellQuote } from '../../ssh/shell-quote.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/** How the guest's clock is set to `epochSeconds`: as root directly, else through sudo as the provisioners use it. */
export function clockCommand(epochSeconds: number, login: { username: string; sudoPassword?: string }): { command: string; stdin?: string } {
  // Prints the guest's own time first, so the log can say how far behind it was.
  const set = `date -u -s @${Math.round(epochSeconds)} >/dev/null`;
  if (login.username === 'root') return { command: `date +%s && ${set}` };
  if (login.sudoPassword === undefined) return { command: `date +%s && sudo -n sh -c ${shellQuote(set)}` };
  return { command: `date +%s && sudo -S -p '' sh -c ${shellQuote(set)}`, stdin: `${login.sudoPassword}\n` };
}

/**
 * After a restore the guest's clock stands where it stood at the checkpoint: QEMU's
 * virtual clock did not run while the state sat in the cache. Provisioners would see
 * that old time (TLS certificates not yet valid, make thinking files are from the
 * future), so it is stepped to the host's time before anything else runs. Builds that
 * booted keep the time the guest read at boot.
 */
export function guestClock(options: { username: string; sudoPassword?: string }): Step<BuildContext> {
  return {
    name: 'guest-clock',
    skip: (ctx) => ctx.restore?.restored !== true,
    async run(ctx, signal) {
      const now = Date.now() / 1000;
      const { command, stdin } = clockCommand(now, options);
      const stdout: string[] = [];
      const stderr: string[] = [];
      const result = await need(ctx.ssh, 'ssh session').exec(command, { signal, ...(stdin !== undefined ? { stdin } : {}), onStdout: (l) => stdout.push(l), onStderr: (l) => stderr.push(l) });
      const behind = Math.round(now - Number(stdout[0]));
      if (result.exitCode !== 0) {
        ctx.log.warn(`could not step the restored guest's clock (exit code ${result.exitCode}: ${stderr.join(' ').trim() || 'no message'}); it is ${behind} s behind the host`);
        return;
      }
      ctx.log.info(`stepped the restored guest's clock to the host's time (it was ${behind} s behind)`);
    },
  };
}
