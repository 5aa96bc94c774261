// Content types for answer files. Installers fetch them with wget/curl and mostly do
// not care, but browsers and people debugging with curl do; no type here is binary.
import { extname } from 'node:path';

const TEXT = 'text/plain';

/** Extensions, and cloud-init's extension-less names, that should be served as text. */
const BY_NAME: Record<string, string> = {
  cfg: TEXT,
  ks: TEXT,
  preseed: TEXT,
  seed: TEXT,
  txt: TEXT,
  conf: TEXT,
  ipxe: TEXT,
  'user-data': TEXT,
  'meta-data': TEXT,
  'vendor-data': TEXT,
  'network-config': TEXT,
  sh: 'text/x-shellscript',
  yaml: 'text/yaml',
  yml: 'text/yaml',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
};

/** Content-Type for an in-memory content path ("/ks.cfg", "/user-data"): text/plain unless known otherwise. */
export function contentTypeFor(path: string): string {
  const base = path.split('/').at(-1)!.toLowerCase();
  const type = BY_NAME[extname(base).slice(1)] ?? BY_NAME[base] ?? TEXT;
  return `${type}; charset=utf-8`;
}

/** The same table in the shape http-server takes for files on disk (type -> names). */
export function mimeTypesForDisk(): Record<string, string[]> {
  const byType: Record<string, string[]> = {};
  for (const [name, type] of Object.entries(BY_NAME)) (byType[type] ??= []).push(name);
  return byType;
}
