// Wrappers around each raw response: one counts the body bytes for the request log, one
// keeps http-server's error pages (an error's stack: host paths, node_modules) off the wire.
import type { ServerResponse } from 'node:http';

type Write = (this: ServerResponse, chunk: unknown, ...rest: unknown[]) => boolean;
type End = (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) => ServerResponse;

/** Counts body bytes as they are written (HEAD and 304 send none, aborted downloads send part). */
export function countBodyBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const write = res.write as unknown as Write;
  const end = res.end as unknown as End;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return write.call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return end.call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return () => bytes;
}

export const SERVER_ERROR_BODY = 'internal server error: see kiln\'s build log\n';

/**
 * A 5xx response gets a fixed body, whatever wrote it. One that turns 5xx after its
 * headers went out (a read error mid-file) is cut off: the client sees a short body.
 */
export function redactServerErrors(res: ServerResponse): void {
  const write = res.write as unknown as Write;
  const end = res.end as unknown as End;
  const writeHead = res.writeHead as unknown as (this: ServerResponse, status: number, ...rest: unknown[]) => ServerResponse;
  let state: 'open' | 'replaced' | 'cut' = 'open';
  const replaceHeaders = () => {
    state = 'replaced';
    res.removeHeader('content-length');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
  };
  const check = () => {
    if (state !== 'open' || res.statusCode < 500) return;
    if (!res.headersSent) return replaceHeaders();
    state = 'cut';
    res.destroy();
  };
  // writeHead fixes the headers at once: a 5xx one is given plain ones instead.
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status < 500 || state !== 'open' || res.headersSent) return writeHead.call(this, status, ...rest);
    replaceHeaders();
    return writeHead.call(this, status);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    check();
    return state === 'open' ? write.call(this, chunk, ...rest) : true;
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    check();
    if (state === 'open') return end.call(this, chunk, ...rest);
    if (state === 'cut') return this;
    const callback = [chunk, ...rest].find((a) => typeof a === 'function');
    return end.call(this, SERVER_ERROR_BODY, 'utf8', callback);
  } as ServerResponse['end'];
}
