// An in-process SSH server on 127.0.0.1 for tests. It logs users in by password,
// keyboard-interactive or public key, runs exec requests with /bin/sh -c on this host
// (cwd = a temp home directory; the commands are the tests' own) or, given `root`,
// chrooted into a simulated guest's tree in PID and UTS namespaces of their own (commands
// kiln itself sends, such as the shutdown command, must not reach the host), serves SFTP, and can
// misbehave the way a booting guest does: refuse or reset connections until it is "up",
// reject the first N logins, and drop the connection when a command prints DROP_MARKER.

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { AuthContext, ParsedKey } from 'ssh2';
import { serveSftp } from './fake-sftp.js';
import { FAKE_SUDO } from './fake-sudo.js';

/** A command whose output contains this loses its connection, like a guest rebooting. */
export const DROP_MARKER = 'KILN-TEST-DROP-CONNECTION';

/** How the port answers a new connection: not at all, with a reset, with silence, or as sshd. */
export type PortBehaviour = 'refuse' | 'reset' | 'silent' | 'up';

export interface FakeSshServerOptions {
  username?: string;
  password?: string;
  /** An authorized_keys line ("ssh-ed25519 AAAA... comment"). */
  publicKey?: string;
  /** Accept the password only through keyboard-interactive, as some PAM setups do. */
  keyboardInteractiveOnly?: boolean;
  /** Reject every login on the first N connections (sshd up before the user exists). */
  rejectFirstLogins?: number;
  /** Not an SSH server until this many ms after start. */
  upAfterMs?: number;
  /** What a connection sees before then: refused, accepted and reset (QEMU's port forward), or silence. */
  beforeUp?: 'refuse' | 'reset' | 'silent';
  /** Password the fake sudo wants; without it sudo needs none. */
  sudoPassword?: string;
  /** Listen on this port instead of a free one. */
  port?: number;
  /**
   * A guest's root tree (with /bin/sh and sudo of its own): commands run in
   * `unshare --pid --uts --fork chroot root`, which needs root; home is /home/<user> (/root for root) inside it.
   */
  root?: string;
  /** Told about each command and SFTP session as it starts, so tests can act at that moment. */
  onExec?: (command: string) => void;
  onSftp?: () => void;
}

export interface ExecRecord {
  command: string;
  stdin: string;
}

export interface FakeSshServer {
  host: string;
  port: number;
  username: string;
  /** The fake user's home: cwd of commands and base of relative SFTP paths. */
  home: string;
  execs: ExecRecord[];
  sftpLog: string[];
  /** Every authentication request, as "connection#:method". */
  authLog: string[];
  /** TCP connections the server still has open (a client that cleaned up leaves none). */
  openConnections(): number;
  /** From now on answer new connections this way, whatever upAfterMs and beforeUp say. */
  become(behaviour: PortBehaviour): Promise<void>;
  close(): Promise<void>;
}

const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
const GUEST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export async function startFakeSshServer(options: FakeSshServerOptions = {}): Promise<FakeSshServer> {
  const username = options.username ?? 'kiln';
  const root = options.root;
  const home = root ? (username === 'root' ? '/root' : `/home/${username}`) : mkdtempSync(join(tmpdir(), 'kiln-fake-ssh-'));
  if (!root) {
    mkdirSync(join(home, 'bin'));
    writeFileSync(join(home, 'bin', 'sudo'), FAKE_SUDO);
    chmodSync(join(home, 'bin', 'sudo'), 0o755);
  }
  const allowedKey = options.publicKey ? (ssh2.utils.parseKey(options.publicKey) as ParsedKey) : undefined;
  const execs: ExecRecord[] = [];
  const sftpLog: string[] = [];
  const authLog: string[] = [];
  const sockets = new Map<number, net.Socket>();
  const children = new Set<ChildProcess>();
  let connections = 0;

  const authenticate = (ctx: AuthContext, index: number) => {
    authLog.push(`${index}:${ctx.method}`);
    if (index < (options.rejectFirstLogins ?? 0) || ctx.username !== username) return ctx.reject();
    if (ctx.method === 'password' && !options.keyboardInteractiveOnly && options.password !== undefined) {
      return ctx.password === options.password ? ctx.accept() : ctx.reject();
    }
    if (ctx.method === 'keyboard-interactive' && options.password !== undefined) {
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) =>
        answers[0] === options.password ? ctx.accept() : ctx.reject(),
      );
    }
    if (ctx.method === 'publickey' && allowedKey && ctx.key.algo === allowedKey.type && ctx.key.data.equals(allowedKey.getPublicSSH())) {
      if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
      return allowedKey.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
    }
    ctx.reject();
  };

  const runExec = (channel: ssh2.ServerChannel, command: string, remotePort: number) => {
    const record: ExecRecord = { command, stdin: '' };
    execs.push(record);
    options.onExec?.(command);
    const env: NodeJS.ProcessEnv = { PATH: root ? GUEST_PATH : `${join(home, 'bin')}:${process.env.PATH}`, HOME: home };
    if (options.sudoPassword !== undefined) env.FAKE_SUDO_PASSWORD = options.sudoPassword;
    // Its own process group, so that killing it also ends a `sleep` it started.
    const child = root
      ? spawn('unshare', ['--pid', '--uts', '--fork', '--kill-child', 'chroot', root, '/bin/sh', '-c', `hostname -F /etc/hostname 2>/dev/null; cd ${home} || exit 1\n${command}`], { env, detached: true })
      : spawn('/bin/sh', ['-c', command], { cwd: home, env, detached: true });
    children.add(child);
    channel.on('close', () => killGroup(child));
    channel.on('data', (chunk: Buffer) => {
      record.stdin += chunk.toString();
      child.stdin.write(chunk);
    });
    channel.on('end', () => child.stdin.end());
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      channel.write(chunk);
      if (chunk.includes(DROP_MARKER)) {
        killGroup(child);
        sockets.get(remotePort)?.destroy();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => channel.stderr.write(chunk));
    child.on('close', (code, signal) => {
      children.delete(child);
      if (!channel.writable) return;
      if (code !== null) channel.exit(code);
      else channel.exit(String(signal).replace(/^SIG/, ''), false, '');
      channel.end();
    });
  };

  const ssh = new ssh2.Server({ hostKeys: [hostKey] }, (client, info) => {
    const index = connections++;
    client.on('error', () => {});
    client.on('authentication', (ctx) => authenticate(ctx, index));
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('env', (_accept, reject) => reject?.()); // like sshd without AcceptEnv
        session.on('exec', (accept, _reject, request) => runExec(accept(), request.command, info.port));
        session.on('sftp', (accept) => {
          options.onSftp?.();
          serveSftp(accept(), home, sftpLog, root);
        });
      });
    });
  });

  const started = Date.now();
  let forced: PortBehaviour | undefined;
  const behaviour = (): PortBehaviour => forced ?? (Date.now() - started >= (options.upAfterMs ?? 0) ? 'up' : (options.beforeUp ?? 'reset'));
  const tcp = net.createServer((socket) => {
    const remotePort = socket.remotePort!;
    socket.on('error', () => {});
    const now = behaviour();
    if (now === 'reset') return socket.resetAndDestroy();
    sockets.set(remotePort, socket);
    socket.on('close', () => sockets.delete(remotePort));
    if (now === 'up') ssh.injectSocket(socket);
    else socket.resume(); // "silent": read and ignored, never answered
  });
  // A port in use rejects (the caller decides), rather than an unhandled 'error' event ending the process.
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      tcp.once('error', onError);
      tcp.listen(port, '127.0.0.1', () => {
        tcp.off('error', onError);
        resolve();
      });
    });
  try {
    await listen(options.port ?? 0);
  } catch (error) {
    if (!root) rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const port = (tcp.address() as net.AddressInfo).port;
  let relisten: NodeJS.Timeout | undefined;
  if (options.beforeUp === 'refuse' && options.upAfterMs) {
    await new Promise((done) => tcp.close(done));
    relisten = setTimeout(() => listen(port).catch((error: Error) => console.error(`fake SSH server: cannot listen on ${port} again: ${error.message}`)), options.upAfterMs);
  }

  return {
    host: '127.0.0.1',
    port,
    username,
    home,
    execs,
    sftpLog,
    authLog,
    openConnections: () => sockets.size,
    async become(next) {
      forced = next;
      clearTimeout(relisten);
      // Refusing means no listener; connections already open are left as they are.
      if (next === 'refuse' && tcp.listening) tcp.close();
      if (next !== 'refuse' && !tcp.listening) await listen(port);
    },
    async close() {
      clearTimeout(relisten);
      for (const child of children) killGroup(child);
      for (const socket of sockets.values()) socket.destroy();
      await new Promise((done) => tcp.close(done));
      // A guest's tree is its disk: what was uploaded there stays.
      if (root) return;
      // Files uploaded outside the home (kiln's /tmp scripts left by a disconnect or abort).
      for (const entry of sftpLog) if (entry.startsWith('OPEN /')) rmSync(entry.slice(5), { force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
