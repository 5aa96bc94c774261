// The error a failed shell provisioner raises: it names the step, the script and how it
// ended, and carries the end of its output so the cause is on screen without build.log.

import { KilnError } from '../errors.js';
import type { ExecResult } from '../ssh/exec.js';

/** Lines of output quoted in a failure message. */
export const FAILURE_TAIL_LINES = 20;

export interface FailureContext {
  label: string;
  /** "inline script" or the local script path. */
  script: string;
  sudo: boolean;
  sudoPassword: boolean;
}

/** How the command ended, e.g. "exited with code 3" or "was killed by SIGKILL". */
export function describeEnd(result: ExecResult): string {
  if (result.exitCode !== null) return `exited with code ${result.exitCode}`;
  if (result.signal) return `was killed by ${result.signal}`;
  return 'ended without an exit status';
}

export function provisionFailure(context: FailureContext, result: ExecResult): KilnError {
  const useStderr = result.stderrTail.length > 0;
  const tail = (useStderr ? result.stderrTail : result.stdoutTail).slice(-FAILURE_TAIL_LINES);
  let message = `${context.label}: ${context.script} ${describeEnd(result)}`;
  if (tail.length > 0) message += `\nlast ${useStderr ? 'stderr' : 'output'} lines:\n${tail.map((l) => `  ${l}`).join('\n')}`;
  return new KilnError('E_PROVISION', message, { hint: failureHint(context, result) });
}

export function failureHint(context: FailureContext, result: ExecResult): string {
  const stderr = result.stderrTail.join('\n');
  if (context.sudo && /a (terminal|password) is required/i.test(stderr)) {
    return context.sudoPassword
      ? 'sudo still asked for a password: check the user may run sudo at all'
      : 'sudo needs a password here: set ssh.password (kiln feeds it to sudo) or give the user NOPASSWD in the answer file';
  }
  if (context.sudo && /incorrect password|no password was provided/i.test(stderr)) {
    return 'sudo rejected the password: ssh.password must be the login user\'s password';
  }
  if (result.exitCode === 126) return 'the script could not be executed: is /tmp mounted noexec in the guest, or is the shebang wrong?';
  if (result.exitCode === 127) return 'a command or the script interpreter was not found in the guest';
  return 'the lines above are the end of its output; build.log has all of it';
}

export function connectionLost(context: FailureContext): KilnError {
  return new KilnError('E_PROVISION', `${context.label}: connection lost while ${context.script} was running`, {
    hint: 'if the script reboots or shuts down the guest, set expect_disconnect: true on this provisioner',
  });
}
