// Image references as kiln reads them: `oci://HOST[:PORT]/REPO[:TAG][@sha256:HEX]`, the
// `oci://` optional. Unlike docker's short names, the first segment is always the
// registry (kiln never guesses docker.io): what is typed is where it goes. The grammar
// of each part is the OCI distribution spec's.
import { KilnError } from '../errors.js';

export interface ImageReference {
  /** host[:port], as typed (lower case). */
  registry: string;
  /** path/in/registry */
  repository: string;
  /** Absent when only a digest was given. */
  tag?: string;
  /** sha256:<64 hex> */
  digest?: string;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::[0-9]{1,5})?$/;
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses a reference; `defaultTag` fills in a missing tag (push), none leaves it out (pull by digest). */
export function parseReference(text: string, defaultTag?: string): ImageReference {
  const body = text.startsWith('oci://') ? text.slice('oci://'.length) : text;
  const slash = body.indexOf('/');
  if (slash <= 0) throw bad(text, 'it names no repository: write HOST/REPOSITORY[:TAG]');
  const registry = body.slice(0, slash).toLowerCase();
  if (!HOST.test(registry)) throw bad(text, `"${body.slice(0, slash)}" is not a registry host[:port]`);
  let rest = body.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(text, `"${digest}" is not a digest (sha256: and 64 lower-case hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(text, `"${tag}" is not a tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`);
  }
  const components = rest.split('/');
  const wrong = components.find((c) => !COMPONENT.test(c));
  if (wrong !== undefined) {
    throw bad(text, `repository "${rest}" has the part "${wrong}", which is not lower-case letters and digits joined by ".", "_", "__" or "-"`);
  }
  tag ??= digest ? undefined : defaultTag;
  return { registry, repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The tag or digest a manifest is fetched by: the digest when both were given. */
export function manifestReference(ref: ImageReference): string {
  const reference = ref.digest ?? ref.tag;
  if (reference === undefined) throw bad(formatReference(ref), 'it names neither a tag nor a digest');
  return reference;
}

export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

function bad(text: string, why: string): KilnError {
  return new KilnError('E_USAGE', `"${text}" is not an image reference: ${why}`, {
    hint: 'write oci://HOST[:PORT]/REPOSITORY[:TAG], e.g. oci://registry.example.com:5000/images/debian-12:1.2.0',
  });
}
