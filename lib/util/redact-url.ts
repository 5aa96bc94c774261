// URLs as kiln may write them down: in logs, error messages, cache records, manifests.
// A template may carry credentials in a URL (https://user:secret@host/..., or a token
// in the query of a pre-signed link); those must never be written in clear. The user
// name and password become "***", and so does every query value: kiln cannot tell a
// token from a version number, and the parameter names are enough to recognise a URL.
// The fragment is masked too.
const MASK = '***';

/**
 * `url` with its credentials, query values and fragment masked. Done on the text as
 * written, not through URL's parser, whose href would also normalise the rest
 * ("\\" to "/", case, dot segments) of what a message quotes.
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  let rest = url.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (scheme && at >= 0) {
    const userinfo = authority.slice(0, at);
    rest = `${userinfo.includes(':') ? `${MASK}:${MASK}` : MASK}${rest.slice(at)}`;
  }
  const hash = rest.indexOf('#');
  let fragment = '';
  if (hash >= 0) {
    fragment = `#${MASK}`;
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  if (question >= 0) {
    const pairs = rest.slice(question + 1).split('&').map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=${MASK}`;
    });
    rest = `${rest.slice(0, question)}?${pairs.join('&')}`;
  }
  return scheme + rest + fragment;
}

/** Whether writing `url` down as it is would leak something redactUrl masks. */
export const hasSecrets = (url: string): boolean => redactUrl(url) !== url;

// http(s)://, then anything up to whitespace or a quote, less trailing punctuation:
// how URLs sit inside messages.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]*[^\s"'<>`.,;:)\]]/gi;

/** Every http(s) URL inside `text` redacted (for messages of other libraries, such as undici's). */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}
