// MIME multi-part user-data, the way cloud-init reads it (Python's email package):
// written for `user_data:` lists, read back to lint the parts of a literal one. Pure.
import { createHash } from 'node:crypto';

export interface MimePart {
  /** e.g. text/cloud-config, text/x-shellscript */
  contentType: string;
  content: string;
  filename?: string;
}

export interface ParsedPart extends MimePart {
  /** 1-based line of the part's first content line in the whole document (for base64 parts: of its encoded text). */
  line: number;
  /** Whether the content was base64 (lint cannot point at lines in it). */
  encoded: boolean;
}

/**
 * A multipart/mixed document. The boundary is derived from the contents, so the same
 * parts always give the same bytes (golden tests, cache keys), and cannot occur in them.
 */
export function buildMultipart(parts: readonly MimePart[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${p.contentType}\0${p.filename ?? ''}\0${p.content}\0`);
  let boundary = `==kiln-${hash.digest('hex').slice(0, 24)}==`;
  while (parts.some((p) => p.content.includes(boundary))) boundary = `=${boundary}=`;
  const out = [`Content-Type: multipart/mixed; boundary="${boundary}"`, 'MIME-Version: 1.0', ''];
  for (const part of parts) {
    // 7bit text goes as is; anything else as base64, which cloud-init decodes.
    const ascii = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(part.content);
    out.push(
      `--${boundary}`,
      `Content-Type: ${part.contentType}; charset="utf-8"`,
      'MIME-Version: 1.0',
      `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}`,
      ...(part.filename ? [`Content-Disposition: attachment; filename="${part.filename}"`] : []),
      '',
      // The line end before the next boundary belongs to the boundary (RFC 2046 5.1.1).
      ascii ? part.content : base64Lines(part.content),
    );
  }
  out.push(`--${boundary}--`, '');
  return out.join('\n');
}

function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

/** Whether user-data text is a MIME document rather than cloud-config or a script. */
export function isMultipart(text: string): boolean {
  return /^content-type:\s*multipart\//i.test(text.trimStart());
}

/**
 * The parts of a multipart/mixed document (one level; nested multiparts are kept as
 * parts). Undefined when the headers name no boundary or no part is found.
 */
export function parseMultipart(text: string): ParsedPart[] | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const { headers, body } = readHeaders(lines, 0);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return undefined;
  const parts: ParsedPart[] = [];
  let start: number | undefined;
  const finish = (end: number) => {
    if (start === undefined) return;
    const part = readHeaders(lines, start);
    const type = (part.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    const encoding = (part.headers['content-transfer-encoding'] ?? '').trim().toLowerCase();
    const raw = lines.slice(part.body, end).join('\n');
    const filename = /filename="?([^";]+)"?/i.exec(part.headers['content-disposition'] ?? '')?.[1];
    parts.push({
      contentType: type,
      content: encoding === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw,
      ...(filename ? { filename } : {}),
      line: part.body + 1,
      encoded: encoding === 'base64',
    });
  };
  for (let i = body; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === `--${boundary}--`) {
      finish(i);
      start = undefined;
      break;
    }
    if (line === `--${boundary}`) {
      finish(i);
      start = i + 1;
    }
  }
  finish(lines.length);
  return parts.length > 0 ? parts : undefined;
}

/** Header fields from line `from` up to the first empty line (folded lines joined); where the body starts. */
function readHeaders(lines: readonly string[], from: number): { headers: Record<string, string>; body: number } {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  let i = from;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i]!;
    if (/^[ \t]/.test(line) && last) headers[last] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      headers[last] = line.slice(colon + 1).trim();
    }
  }
  return { headers, body: i + 1 };
}
