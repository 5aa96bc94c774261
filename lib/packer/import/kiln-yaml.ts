// `kiln import`: one translated Packer build as a kiln.yaml a user can keep. What kiln
// does differently is said in comments at the top; local paths are rewritten for the
// file's new place; sensitive values are never written: each becomes a sensitive
// variable the user passes with --var, as they passed it to Packer.
import { Document } from 'yaml';
import type { PackerBuild, PackerNote } from '../model.js';
import { rebasePaths } from './rebase-paths.js';

export interface KilnYamlOptions {
  /** The Packer template as the user named it, for the header. */
  template: string;
  /** Where Packer resolved relative paths (the working directory) and where the kiln.yaml goes. */
  fromDir: string;
  toDir: string;
  notes: readonly PackerNote[];
}

export function kilnYaml(document: Record<string, unknown>, build: PackerBuild, options: KilnYamlOptions): string {
  const data = structuredClone(document);
  rebasePaths(data, options.fromDir, options.toDir);
  const secrets = [...new Set(build.sensitive.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  const names = secrets.map((_, i) => `secret_${i + 1}`);
  const withVars = secrets.length > 0 ? { variables: Object.fromEntries(names.map((n) => [n, { sensitive: true }])), ...replaceSecrets(data, secrets, names) } : data;
  const doc = new Document(withVars);
  const header = [
    `kiln template imported from ${options.template} (build ${build.name}) by kiln import.`,
    ...(secrets.length > 0 ? [`Sensitive values are not written here: pass them at build time with --var ${names.map((n) => `${n}=...`).join(' --var ')}`] : []),
    ...(options.notes.length > 0 ? ['', 'What kiln does differently from the Packer template:'] : []),
    ...options.notes.map((n) => `  ${n.pos.file}:${n.pos.line}: ${n.message}`),
  ];
  doc.commentBefore = header.map((line) => (line ? ` ${line}` : '')).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Every string with a secret in it gets {{ var `secret_N` }} in its place. */
function replaceSecrets(data: Record<string, unknown>, secrets: string[], names: string[]): Record<string, unknown> {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return secrets.reduce((text, secret, i) => text.split(secret).join(`{{ var \`${names[i]}\` }}`), value);
    if (Array.isArray(value)) return value.map(replace);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(data) as Record<string, unknown>;
}
