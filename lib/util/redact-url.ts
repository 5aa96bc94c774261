// URLs as kiln may write them down: in logs, error messages, cache records, manifests.
// A template may carry credentials in a URL (https://user:secret@host/..., or a token
// in the query of a pre-signed link); those must never be written in clear. The user
// name and password become "***", and so does every query value: kiln cannot tell a
// token from a version number, and the parameter names are enough to recognise a URL.
// The fragment is masked too.
const MASK = '***';

/** `url` with its credentials and query values masked; text that is not a URL is masked by pattern. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return redactByPattern(url);
  const parsed = new URL(url);
  if (parsed.username) parsed.username = MASK;
  if (parsed.password) parsed.password = MASK;
  if (parsed.search) {
    // URLSearchParams would percent-encode the mask; the query is rebuilt by hand.
    const pairs = parsed.search.slice(1).split('&').map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=${MASK}`;
    });
    parsed.search = `?${pairs.join('&')}`;
  }
  // Never sent to a server, but a share link may keep its key there.
  if (parsed.hash) parsed.hash = MASK;
  return parsed.href;
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

/** For strings URL cannot parse: user info before "@" and query values, by shape alone. */
function redactByPattern(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${MASK}@`)
    .replace(/([?&][^=&#]*)=[^&#]*/g, `$1=${MASK}`);
}
