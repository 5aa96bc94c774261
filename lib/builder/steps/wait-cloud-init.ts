import { cloudInitWaitCommand, cloudInitStatusError, parseCloudInitStatus } from '../../cloud-init/index.js';
import { KilnError } from '../../errors.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { reconnectSsh } from '../ssh-connect.js';

/** Reconnects allowed while cloud-init runs (it may restart sshd or the network). */
const RECONNECTS = 3;

/**
 * Waits until cloud-init has configured the guest and fails the build when it did not:
 * provisioning right away would race it (dpkg locks, sshd restarts), and an image whose
 * seed was not found must not pass as built. Runs before the install checkpoint, so the
 * cached install is a configured guest. A guest restored from a checkpoint's memory
 * has finished already (every checkpoint comes after this step); asking it again costs
 * a Python start under emulation, seconds. `resultPath`: where cloud-init's result is
 * read from (tests point it elsewhere).
 */
export function waitCloudInit(options: { resultPath?: string } = {}): Step<BuildContext> {
  const command = cloudInitWaitCommand(options.resultPath);
  return {
  name: 'wait-cloud-init',
  skip: (ctx) => ctx.restore?.restored === true,
  async run(ctx, signal) {
    for (let reconnects = 0; ; reconnects++) {
      const stdout: string[] = [];
      const result = await need(ctx.ssh, 'ssh session').exec(command, { signal, onStdout: (line) => stdout.push(line) });
      if (result.disconnected) {
        if (reconnects === RECONNECTS) {
          throw new KilnError('E_PROVISION', `the SSH connection dropped ${RECONNECTS + 1} times while waiting for cloud-init`, {
            hint: 'see serial.log for what the guest did; a user-data that reboots the guest should do so with power_state, after cloud-init finished',
          });
        }
        ctx.log.info('the SSH connection dropped while cloud-init ran; reconnecting');
        await reconnectSsh(ctx, signal);
        continue;
      }
      const output = stdout.join('\n');
      const error = cloudInitStatusError(output, result.exitCode ?? -1);
      if (error) throw error;
      const status = parseCloudInitStatus(output);
      ctx.log.info(`cloud-init finished: ${status ? `${status.status} (data source ${status.datasource || 'unknown'})` : 'done'}`);
      for (const warning of status?.warnings ?? []) ctx.log.warn(`cloud-init: ${warning}`);
      return;
    }
  },
  };
}
