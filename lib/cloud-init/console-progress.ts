// Where cloud-init is, from the lines it prints on the serial console ("Cloud-init v.
// 22.4.2 running 'modules:config' at ...", "Cloud-init v. 22.4.2 finished at ..."). A
// login while it runs competes with its modules for the guest's CPU (under emulation,
// seconds) and races what they change (sshd restarted, users added); so the first login
// of a build with a seed waits for "finished" when the console shows cloud-init at work.
// An image that prints nothing of cloud-init on its console is never held. Pure.

export type CloudInitConsoleState = 'unseen' | 'running' | 'finished';

const RUNNING = /Cloud-init v\. \S+ running '/;
const FINISHED = /Cloud-init v\. \S+ finished at /;

export class CloudInitConsole {
  private partial = '';
  private current: CloudInitConsoleState = 'unseen';

  get state(): CloudInitConsoleState {
    return this.current;
  }

  /** Serial text as it arrives, in chunks cut anywhere. The last marker seen wins: a reboot runs cloud-init again. */
  push(chunk: string): CloudInitConsoleState {
    const lines = (this.partial + chunk).split(/\r?\n/);
    // A line cut by the chunk waits for its end; an endless line (no newline) is bounded.
    this.partial = lines.pop()!.slice(-4096);
    for (const line of lines) {
      if (FINISHED.test(line)) this.current = 'finished';
      else if (RUNNING.test(line)) this.current = 'running';
    }
    return this.current;
  }
}
