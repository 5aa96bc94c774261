// What kiln remembers about each request the guest makes, and the http.log line format.
// Pure: records in, text out.

export interface RequestRecord {
  /** ISO time the response finished (or the connection closed). */
  time: string;
  method: string;
  /** Decoded URL path without the query string, e.g. "/ks.cfg". */
  path: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  remote: string;
  userAgent?: string;
}

// The guest controls path and user agent: keep each record on one line, one field per token.
const escapeChars = (text: string, pattern: RegExp) => text.replace(pattern, (c) => encodeURIComponent(c));
const PATH_UNSAFE = /[\s"\\\x00-\x1f\x7f]/g;
const QUOTED_UNSAFE = /["\\\x00-\x1f\x7f]/g;

/** `2024-05-01T12:00:00.000Z 10.0.2.15 GET /ks.cfg 200 312 "Wget"`, as written to http.log. */
export function formatLogLine(r: RequestRecord): string {
  return `${r.time} ${r.remote} ${r.method} ${escapeChars(r.path, PATH_UNSAFE)} ${r.status} ${r.bytes} "${escapeChars(r.userAgent ?? '-', QUOTED_UNSAFE)}"`;
}

/** For log.info: "http: GET /ks.cfg -> 200 (312 bytes)". */
export function formatLogMessage(r: RequestRecord): string {
  return `http: ${r.method} ${r.path} -> ${r.status} (${r.bytes} bytes)`;
}

/** The path part of a request target, percent-decoded when valid ("/a%20b?x=1" -> "/a b"). */
export function requestPath(url: string): string {
  const raw = (url.split(/[?#]/)[0] ?? '') || '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Content paths and waitForRequest paths are written with or without the leading slash. */
export const normalizePath = (path: string): string => (path.startsWith('/') ? path : `/${path}`);
