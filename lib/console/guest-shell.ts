// "Open a shell in the guest": over SSH when the guest answers (a login is tried
// first, quickly), otherwise on its serial console, where a getty or the installer's
// shell is usually waiting.
import { connectOnce } from '../ssh/connect.js';
import { describeAttemptError } from '../ssh/attempt-error.js';
import { attachSerialConsole } from './serial-attach.js';
import { openSshShell, type SshTarget } from './ssh-shell.js';
import { DETACH_KEY_NAME, type BridgeEnd, type TerminalIo } from './terminal-bridge.js';

/** What the debugging sessions need to reach a build's VM. */
export interface GuestAccess {
  name: string;
  /** False once the VM has exited. */
  running(): Promise<boolean>;
  /** The serial console's UNIX socket, asked from QEMU. */
  serialSocket(): Promise<string | undefined>;
  /** How kiln logs in over SSH; undefined with `ssh: none` or before the port forward exists. */
  ssh?: SshTarget;
  /** A private directory for session files (the SSH key). */
  scratchDir: string;
}

const PROBE_TIMEOUT_MS = 8000;

export async function openGuestShell(guest: GuestAccess, io: TerminalIo, signal?: AbortSignal): Promise<BridgeEnd> {
  const say = (text: string) => void io.output.write(`${text}\n`);
  if (guest.ssh) {
    const why = await probeSsh(guest.ssh, signal);
    if (why === undefined) {
      say(`kiln: shell over SSH as ${guest.ssh.username}@${guest.ssh.host}:${guest.ssh.port}; "exit" or ${DETACH_KEY_NAME} comes back here`);
      return openSshShell(guest.ssh, io, { scratchDir: guest.scratchDir, signal });
    }
    say(`kiln: SSH does not answer (${why}); using the serial console instead`);
  }
  return openSerial(guest, io, signal);
}

export async function openSerial(guest: GuestAccess, io: TerminalIo, signal?: AbortSignal): Promise<BridgeEnd> {
  const socket = await guest.serialSocket();
  if (!socket) throw new Error('internal: the VM has no serial console socket');
  io.output.write(`kiln: serial console of ${guest.name}; press Enter for a prompt, ${DETACH_KEY_NAME} to come back\n`);
  return attachSerialConsole(socket, io, signal);
}

/** undefined when a login works, else why not. */
async function probeSsh(target: SshTarget, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const client = await connectOnce({ ...target, readyTimeoutMs: PROBE_TIMEOUT_MS, signal });
    client.end();
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    return describeAttemptError(error).text;
  }
}

export type { SshTarget } from './ssh-shell.js';
