// Until a daemon a test started accepts connections on 127.0.0.1:port (daemons log before
// they listen); its output in the error if it exits or never listens.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export async function waitForListen(name: string, port: number, child: ChildProcess, output: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s: ${output()}`);
}
