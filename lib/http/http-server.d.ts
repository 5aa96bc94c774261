// Types for the parts of the `http-server` package (v14, no bundled types) kiln uses.
// Requests go through `union`: middlewares get union's stream wrappers, which expose
// the raw Node objects as `request` and `response`.
declare module 'http-server' {
  import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';

  export interface UnionRequest {
    url: string;
    method: string;
    headers: IncomingHttpHeaders;
    request: IncomingMessage;
  }

  export interface UnionResponse {
    response: ServerResponse;
    statusCode: number;
    setHeader(name: string, value: string | number): void;
    writeHead(status: number, headers?: OutgoingHttpHeaders): void;
    /** Ends the response; the body is dropped for HEAD requests. */
    end(body?: string | Buffer): void;
    /** Passes the request on to the next middleware. */
    emit(event: 'next'): boolean;
  }

  /** Two parameters: the middleware calls res.emit('next') to pass the request on. */
  export type Middleware = (req: UnionRequest, res: UnionResponse) => void;

  export interface HttpServerOptions {
    root?: string;
    /** Seconds of Cache-Control max-age; -1 sends no-cache, no-store, must-revalidate. */
    cache?: number;
    /** Only the string 'false' turns these off (the package compares with 'false'). */
    showDir?: 'true' | 'false';
    autoIndex?: 'true' | 'false';
    gzip?: boolean;
    brotli?: boolean;
    /** Extra MIME types for files on disk: type -> extensions (or bare names) without dots. */
    mimetypes?: Record<string, string[]>;
    headers?: Record<string, string>;
    before?: Middleware[];
  }

  export interface HttpServer {
    /** The underlying node:http server, not yet listening. */
    server: Server;
  }

  const httpServer: { createServer(options?: HttpServerOptions): HttpServer };
  export default httpServer;
}
