// The breakpoint provisioner: the build stops with the guest running, says how to get in
// (the SSH command line with the build's key, kiln console), and goes on when Enter is
// pressed. Skipped, with a line in the log, when disabled or when nobody is at a terminal.
import type { Readable } from 'node:stream';
import { readLine } from '../console/read-line.js';
import type { TerminalIo } from '../console/terminal-bridge.js';
import type { Log } from '../log/log.js';
import type { GuestConnection } from './ansible/inventory.js';
import type { BreakpointProvisioner } from '../template/types.js';
import { shellWord } from '../ssh/shell-quote.js';

export interface BreakpointOptions {
  label: string;
  log: Log;
  signal?: AbortSignal;
  /** The user's terminal (process.stdin); not a TTY: the breakpoint is skipped. */
  input: TerminalIo['input'] & Pick<Readable, 'unshift'>;
  buildName: string;
  connection: GuestConnection;
}

/** The command line that logs in to the guest as the build does. */
export function sshCommandLine(connection: GuestConnection): string {
  const args = ['ssh', '-p', String(connection.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'];
  if (connection.privateKeyFile !== undefined) args.push('-i', connection.privateKeyFile);
  return [...args, `${connection.user}@${connection.host}`].map(shellWord).join(' ');
}

/** Resolves once the user pressed Enter; whether it paused at all. */
export async function runBreakpoint(p: BreakpointProvisioner, options: BreakpointOptions): Promise<boolean> {
  const { label, log, input } = options;
  if (p.disable) {
    log.info(`${label}: skipped (disable: true)`);
    return false;
  }
  if (!input.isTTY) {
    log.info(`${label}: skipped: kiln is not reading from a terminal, so nobody could press Enter`);
    return false;
  }
  if (p.note !== undefined) log.info(`${label}: ${p.note}`);
  log.info(`${label}: the build is paused with the guest running; to get in:`);
  log.info(`${label}:   ${sshCommandLine(options.connection)}${options.connection.privateKeyFile === undefined ? ' (the password is ssh.password)' : ''}`);
  log.info(`${label}:   kiln console ${options.buildName}`);
  log.info(`${label}: press Enter to go on`);
  await readLine(input, options.signal);
  log.info(`${label}: going on`);
  return true;
}
