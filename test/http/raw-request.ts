// Test helper: bytes sent to a server exactly as given (fetch would normalise "..",
// "%2e" and malformed heads), and the whole answer back, as latin1.
import { connect } from 'node:net';

export function sendRaw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(bytes);
  });
}
