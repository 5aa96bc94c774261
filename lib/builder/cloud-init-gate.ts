// Holds kiln's logins while the serial console shows cloud-init at work (console-progress.ts):
// logging in and starting a shell then competes with cloud-init's modules for the guest's
// CPU, which under emulation costs the build seconds. The hold is bounded: cloud-init
// without its final message (final_message taken out of cloud_final_modules) must not keep
// kiln out, and wait-cloud-init asks cloud-init itself once logged in anyway.
import { CloudInitConsole } from '../cloud-init/console-progress.js';
import type { Log } from '../log/log.js';
import { AppendedText } from '../util/appended-text.js';
import { formatDuration } from '../util/duration.js';

/** Longer than the stages of a cloud image without packages to install take under emulation. */
export const CLOUD_INIT_HOLD_LIMIT_MS = 180_000;

export class CloudInitLoginGate {
  private readonly console = new CloudInitConsole();
  private readonly serial: AppendedText;
  private heldSince: number | undefined;
  private expired = false;

  constructor(
    serialLog: string,
    private readonly log: Log,
    private readonly limitMs = CLOUD_INIT_HOLD_LIMIT_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.serial = new AppendedText(serialLog);
  }

  /** Whether to hold the next login: cloud-init runs, by the console, and has not run past the limit. */
  async holding(): Promise<boolean> {
    const running = this.console.push(await this.serial.read()) === 'running';
    if (!running) {
      if (this.heldSince !== undefined) this.log.info(`cloud-init finished (serial console) after ${formatDuration(this.now() - this.heldSince)} of holding the login; logging in`);
      this.heldSince = undefined;
      this.expired = false;
      return false;
    }
    if (this.expired) return false;
    if (this.heldSince === undefined) {
      this.heldSince = this.now();
      this.log.info('cloud-init is running (serial console): the login waits until it prints that it finished, so it neither slows nor races its modules');
    } else if (this.now() - this.heldSince >= this.limitMs) {
      this.expired = true;
      this.log.info(`cloud-init has run ${formatDuration(this.limitMs)} without printing that it finished: logging in (wait-cloud-init asks it)`);
      return false;
    }
    return true;
  }

  /** For the SSH timeout: why no login was tried lately. */
  note(): string {
    return this.heldSince !== undefined && !this.expired ? '\nkiln held its logins: the serial console shows cloud-init started and never printed that it finished' : '';
  }
}
