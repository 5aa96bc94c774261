// user-data from the template's `user_data:`: cloud-config keys become a #cloud-config
// document, a string is used as written, a list of parts becomes MIME multi-part. Pure.
import { buildMultipart, isMultipart, type MimePart } from './mime.js';
import type { CloudConfig, UserDataPart, UserDataSpec } from './types.js';
import { cloudConfigText } from './yaml-text.js';

/** What a literal user-data document is, by its first line (as cloud-init decides). */
export type UserDataKind = 'cloud-config' | 'script' | 'multipart' | 'jinja' | 'other';

export function userDataKind(text: string): UserDataKind {
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '').trimEnd();
  if (first === '#cloud-config') return 'cloud-config';
  if (first.startsWith('#!')) return 'script';
  if (first.startsWith('## template:')) return 'jinja';
  if (isMultipart(text)) return 'multipart';
  return 'other'; // #include, #cloud-boothook, #part-handler, #cloud-config-archive, or a mistake (lint says)
}

export function renderUserData(spec: UserDataSpec): string {
  if (typeof spec === 'string') return spec;
  if (Array.isArray(spec)) return buildMultipart(spec.map(mimePart));
  return cloudConfigText(spec);
}

/** The MIME part for a `user_data:` list entry; unnamed parts are part-001, part-002, ... by position, as cloud-init names them. */
export function mimePart(part: UserDataPart, index: number): MimePart {
  const filename = 'filename' in part && part.filename ? part.filename : `part-${String(index + 1).padStart(3, '0')}`;
  if ('cloud_config' in part) {
    const content = typeof part.cloud_config === 'string' ? part.cloud_config : cloudConfigText(part.cloud_config as CloudConfig);
    return { contentType: 'text/cloud-config', content, filename };
  }
  if ('script' in part) return { contentType: 'text/x-shellscript', content: part.script, filename };
  if ('boothook' in part) return { contentType: 'text/cloud-boothook', content: part.boothook, filename };
  return { contentType: part.content_type, content: part.content, filename };
}

/** Every string in the spec passed through `render` (placeholders such as {{ .SSHPublicKey }}); keys are kept. */
export function mapStrings<T>(value: T, render: (text: string) => string): T {
  if (typeof value === 'string') return render(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, render)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, render)])) as T;
  }
  return value;
}
