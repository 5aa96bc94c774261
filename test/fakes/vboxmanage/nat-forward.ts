// VirtualBox's NAT port forward for one running VM, in the test process: it listens on
// the rule's 127.0.0.1 host port from the moment the VM runs (VirtualBox binds it at
// power-on, not when the guest's sshd comes up, so nothing else can take the port
// meanwhile), and passes each connection on to the guest's port 22 once something
// listens there. Until then a connection is accepted and reset, as VirtualBox's NAT
// does while the guest boots.

import net from 'node:net';

export interface NatForward {
  port: number;
  /** The guest sshd's port on this host, while it runs; connections are reset otherwise. */
  target: number | undefined;
  close(): Promise<void>;
}

/** Rejects when the port is taken (VirtualBox would log that the redirect failed). */
export async function startNatForward(port: number, onConnection: () => void): Promise<NatForward> {
  const open = new Set<net.Socket>();
  const forward: NatForward = {
    port,
    target: undefined,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
  };
  const server = net.createServer((socket) => {
    onConnection();
    track(socket);
    if (forward.target === undefined) return void socket.resetAndDestroy();
    const guest = net.connect(forward.target, '127.0.0.1');
    track(guest);
    guest.on('close', () => socket.destroy());
    socket.on('close', () => guest.destroy());
    socket.pipe(guest).pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return forward;
}
