// Public surface of lib/http: the embedded server for answer files.
export { startHttpServer } from './server.js';
export type { HttpServerHandle, HttpServerOptions, RequestRecord } from './server.js';
