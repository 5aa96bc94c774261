// Requests Node's HTTP parser rejects (a bad header, an oversized head, a request that
// took too long) never reach a request handler: by default Node answers 400 and says
// nothing. An installer whose request is rejected is as worth seeing in http.log as one
// that got a 404, so they are answered as Node would, and recorded.
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestRecord } from './request-log.js';

/** The longest request line read back from the rejected bytes: enough for any answer-file URL. */
const MAX_LINE = 2048;

/** Node's own choice of status per parser error. */
function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/** Method and path from the start of the rejected bytes, when they begin with a request line. */
export function requestLineOf(raw: Buffer | undefined): { method: string; path: string } {
  const head = raw?.subarray(0, MAX_LINE).toString('latin1') ?? '';
  const match = /^([A-Z]{1,20}) (\S+)(?: |\r|\n|$)/.exec(head);
  if (!match) return { method: '-', path: '-' };
  const target = match[2]!.split(/[?#]/)[0] || '/';
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // kept as sent; the log escapes it
  }
  return { method: match[1]!, path };
}

/**
 * Answers and records each rejected request. `since(socket)` is when the socket's current
 * request began to arrive (its connection, or the end of its previous response).
 */
export function recordRejected(server: Server, since: (socket: Socket) => number, record: (entry: RequestRecord) => void): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    // A client that hung up was not rejected, and there is no one left to answer.
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return void socket.destroy();
    const status = statusFor(error.code);
    // As Node does: no error reply over a response already under way on this socket.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    const remote = socket.remoteAddress ?? '-';
    socket.destroy();
    record({
      time: new Date().toISOString(),
      ...requestLineOf(error.rawPacket),
      status,
      bytes: 0,
      remote,
      ms: Math.max(0, Math.round(performance.now() - since(socket))),
      rejected: error.code ?? 'unknown',
    });
  });
}
