// Secrets never reach an output: every line, event, manifest and record kiln writes
// passes through one Masker. It hides each secret as written and in the forms messages
// carry it in (JSON-escaped, URL-encoded, base64, cut short with "..."), and the
// credentials of any URL (util/redact-url.ts) whether or not they were declared sensitive.
import { redactUrlsIn } from '../util/redact-url.js';

export const MASK = '<sensitive>';

/** Shortest prefix of a secret that counts as the secret when a message cuts it off. */
const MIN_PREFIX = 6;

export class Masker {
  private readonly forms: string[];
  private readonly prefixes: { prefix: string; secret: string }[];

  constructor(secrets: readonly string[] = []) {
    const unique = [...new Set(secrets.filter((s) => s.length > 0))];
    const forms = new Set<string>();
    for (const secret of unique) {
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')]) {
        if (form.length > 0) forms.add(form);
      }
    }
    // Longest first, so a secret that contains another is masked whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.prefixes = unique.filter((s) => s.length > MIN_PREFIX).map((secret) => ({ prefix: secret.slice(0, MIN_PREFIX), secret }));
  }

  /** `text` with every secret, and every URL credential, replaced by <sensitive>. */
  mask(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    for (const { prefix, secret } of this.prefixes) if (out.includes(prefix)) out = maskCutShort(out, prefix, secret);
    return redactUrlsIn(out);
  }

  /** A copy of a JSON-like value with every string in it masked (keys too). */
  maskDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.mask(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.mask(k), walk(x)]));
      }
      return v;
    };
    return walk(value) as T;
  }
}

/** A secret's start cut off by "..." (schema messages, terminal widths) or by the end of the text. */
function maskCutShort(text: string, prefix: string, secret: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    if (at < from) continue;
    let length = prefix.length;
    while (length < secret.length && text[at + length] === secret[length]) length++;
    const rest = text.slice(at + length);
    if (rest === '' || rest.startsWith('...') || rest.startsWith('…')) {
      out += text.slice(from, at) + MASK;
      from = at + length;
    }
  }
  return out + text.slice(from);
}
