// What kiln remembers about each request the guest makes, and the http.log line format.
// Pure: records in, text out.

export interface RequestRecord {
  /** ISO time the response finished (or the connection closed). */
  time: string;
  /** "-" when a rejected request's line could not be read. */
  method: string;
  /** Decoded URL path without the query string, e.g. "/ks.cfg" ("-" as for method). */
  path: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** The client's address. */
  remote: string;
  userAgent?: string;
  /** Milliseconds from the request's arrival to the end of its response. */
  ms: number;
  /** Set when Node's HTTP parser rejected the request: its error code, e.g. "HPE_INVALID_HEADER_TOKEN". */
  rejected?: string;
}

// The guest controls path, method and user agent, and they reach a terminal, build.log
// and http.log: every control character (C0, DEL, C1: \x9b is a CSI on some terminals),
// Unicode format character (bidi overrides), lone surrogate and line separator is percent-encoded, and
// so is "%" itself, so an escaped line reads back unambiguously.
const TERMINAL_UNSAFE = /[%\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
// In http.log each field is one token: spaces too, and quotes and backslashes in the quoted one.
const TOKEN_UNSAFE = /[%\s"\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const QUOTED_UNSAFE = /[%"\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** Percent-encodes the UTF-8 bytes of each character `pattern` matches (a lone surrogate as U+FFFD). */
export function escapeField(text: string, pattern: RegExp = TERMINAL_UNSAFE): string {
  return text.replace(pattern, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** `2024-05-01T12:00:00.000Z 10.0.2.15 GET /ks.cfg 200 312 "Wget" 4ms`, as written to http.log; a rejected request ends in `rejected=CODE`. */
export function formatLogLine(r: RequestRecord): string {
  const token = (text: string) => escapeField(text, TOKEN_UNSAFE) || '-';
  const line = `${r.time} ${token(r.remote)} ${token(r.method)} ${token(r.path)} ${r.status} ${r.bytes} "${escapeField(r.userAgent ?? '-', QUOTED_UNSAFE)}" ${r.ms}ms`;
  return r.rejected ? `${line} rejected=${token(r.rejected)}` : line;
}

/** For the terminal and build.log: "http: GET /ks.cfg -> 200 (312 bytes)". */
export function formatLogMessage(r: RequestRecord): string {
  const line = `http: ${escapeField(r.method)} ${escapeField(r.path)} -> ${r.status} (${r.bytes} bytes)`;
  return r.rejected ? `${line}, rejected by the HTTP parser (${escapeField(r.rejected)}) from ${escapeField(r.remote)}` : line;
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

/**
 * The decoded path a file may be looked up by, or undefined for a target no file has:
 * not origin-form ("/..."), bad percent-encoding, or a NUL byte (which file APIs refuse
 * with an error naming the host path).
 */
export function filePath(url: string): string | undefined {
  const raw = url.split(/[?#]/)[0] ?? '';
  if (!raw.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return path.includes('\0') ? undefined : path;
}

/** Content paths and waitForRequest paths are written with or without the leading slash. */
export const normalizePath = (path: string): string => (path.startsWith('/') ? path : `/${path}`);
