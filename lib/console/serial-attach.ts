// An interactive session on a VM's serial console: the UNIX socket QEMU listens on.
// QEMU serves one client at a time; a second one waits until the first detaches.
import type { Socket } from 'node:net';
import { connectUnixSocket } from '../hypervisor/qemu/unix-connect.js';
import { KilnError } from '../errors.js';
import { bridgeTerminal, type BridgeEnd, type Peer, type TerminalIo } from './terminal-bridge.js';

export async function attachSerialConsole(socketPath: string, io: TerminalIo, signal?: AbortSignal): Promise<BridgeEnd> {
  const socket = await connectUnixSocket(socketPath, { signal, timeoutMs: 3000 }).catch((error: unknown) => {
    throw new KilnError('E_QEMU', `cannot connect to the serial console at ${socketPath}`, {
      cause: error,
      hint: 'the VM has probably stopped; its output so far is in serial.log in the output directory',
    });
  });
  return bridgeTerminal(io, socketPeer(socket), signal);
}

function socketPeer(socket: Socket): Peer {
  socket.on('error', () => {}); // 'close' follows and ends the session
  return {
    write: (data) => void socket.write(data),
    onData: (listener) => {
      socket.on('data', listener);
      return () => socket.off('data', listener);
    },
    onEnd: (listener) => {
      socket.once('close', listener);
      return () => socket.off('close', listener);
    },
    close: () => socket.destroy(),
  };
}
