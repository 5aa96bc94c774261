// A login shell in the guest over SSH, for --on-error=ask: OpenSSH's client runs in a
// pseudo-terminal (node-pty), so it behaves as if typed into directly (the guest gets
// a pty: line editing, job control, Ctrl-C), while kiln keeps the session's ends: it
// answers the password prompt itself, relays the detach key, and gets control back.
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pty from 'node-pty';
import { KilnError } from '../errors.js';
import { findExecutable } from '../util/find-executable.js';
import { bridgeTerminal, type BridgeEnd, type Peer, type TerminalIo } from './terminal-bridge.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
}

/** The ssh command line; the key file, when there is one, is written by openSshShell. */
export function sshArgs(target: SshTarget, keyFile?: string): string[] {
  const args = [
    '-F', '/dev/null', // the user's ~/.ssh/config has no say over a throwaway guest
    '-p', String(target.port),
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', // the guest's host key is new every build
    '-o', 'LogLevel=ERROR',
    '-o', 'ConnectTimeout=15',
  ];
  if (keyFile) args.push('-i', keyFile, '-o', 'IdentitiesOnly=yes');
  else args.push('-o', 'PubkeyAuthentication=no');
  if (target.password === undefined) args.push('-o', 'PasswordAuthentication=no', '-o', 'KbdInteractiveAuthentication=no');
  args.push('-t', `${target.username}@${target.host}`);
  return args;
}

export interface ShellOptions {
  /** A private directory for the key file (removed again when the session ends). */
  scratchDir: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export async function openSshShell(target: SshTarget, io: TerminalIo, options: ShellOptions): Promise<BridgeEnd> {
  const env = options.env ?? process.env;
  const ssh = findExecutable('ssh', env);
  if (!ssh) {
    throw new KilnError('E_TOOL', 'opening a shell in the guest needs the OpenSSH client (ssh), which is not installed', {
      hint: 'sudo apt install openssh-client, or choose the serial console instead',
    });
  }
  const keyFile = target.privateKey ? join(options.scratchDir, `shell-key-${process.pid}`) : undefined;
  try {
    if (keyFile) {
      await writeFile(keyFile, target.privateKey!.endsWith('\n') ? target.privateKey! : `${target.privateKey}\n`, { mode: 0o600 });
      await chmod(keyFile, 0o600);
    }
    const child = pty.spawn(ssh, sshArgs(target, keyFile), {
      name: env.TERM || 'xterm-256color',
      cols: io.output.columns || 80,
      rows: io.output.rows || 24,
      env: env as Record<string, string>,
    });
    return await bridgeTerminal(io, ptyPeer(child, target.password), options.signal);
  } finally {
    if (keyFile) await rm(keyFile, { force: true });
  }
}

function ptyPeer(child: pty.IPty, password?: string): Peer {
  let exited = false;
  child.onExit(() => (exited = true));
  // The password prompt is answered once; a second prompt means it was wrong and is the user's.
  let answered = password === undefined;
  let recent = '';
  child.onData((data) => {
    if (answered) return;
    recent = (recent + data).slice(-200);
    if (/password: *$/i.test(recent)) {
      answered = true;
      child.write(`${password}\r`);
    }
  });
  return {
    write: (data) => child.write(data.toString('utf8')),
    onData: (listener) => {
      const subscription = child.onData(listener);
      return () => subscription.dispose();
    },
    onEnd: (listener) => {
      if (exited) {
        queueMicrotask(listener);
        return () => {};
      }
      const subscription = child.onExit(() => listener());
      return () => subscription.dispose();
    },
    close: () => {
      if (!exited) child.kill('SIGHUP');
    },
    resize: (columns, rows) => {
      if (!exited) child.resize(columns, rows);
    },
  };
}
