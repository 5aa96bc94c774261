// A registry's refusals and network failures as KilnErrors that say what went wrong and
// what to do. Registries explain themselves in a JSON body ({"errors":[{"code","message"}]},
// the distribution spec's error codes); kiln quotes the codes and messages, masked.
import { KilnError } from '../errors.js';
import type { Masker } from '../log/mask.js';

export interface FailureContext {
  registry: string;
  repository: string;
  /** What kiln was doing: "pushing blob sha256:ab12…", "reading manifest 1.2.0". */
  doing: string;
  /** Where the credentials came from, when some were sent. */
  credentialSource?: string;
  /** Bytes in the refused request, for 413. */
  bytes?: number;
  /** The proxy requests go through, masked; absent: direct. */
  proxy?: string;
  masker: Masker;
}

/** The registry's own words from an error body: "NAME_UNKNOWN: repository name not known to registry". */
export function registryMessages(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    const parts = (parsed.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean);
    if (parts.length > 0) return parts.join('; ');
  } catch {
    // Not JSON: a proxy's or load balancer's page; its first line is the best there is.
  }
  return body.trim().split('\n')[0]!.slice(0, 200);
}

export function statusError(status: number, body: string, context: FailureContext): KilnError {
  const { registry, repository, doing } = context;
  const said = registryMessages(body);
  const saying = said ? ` (${context.masker.mask(said)})` : '';
  const at = `${registry}/${repository}`;
  const [message, hint] = ((): [string, string] => {
    if (status === 401) {
      return context.credentialSource
        ? [`${registry} refused the credentials from ${context.credentialSource} while ${doing}: 401 Unauthorized${saying}`, `log in again (docker login ${registry}, or podman login), or give the right ones: --username USER --password-stdin`]
        : [`${registry} wants credentials for ${doing}: 401 Unauthorized${saying}`, `log in first (docker login ${registry}, or podman login; REGISTRY_AUTH_FILE names another auth file), or give them: --username USER --password-stdin`];
    }
    if (status === 403) return [`${registry} denied ${doing} in ${repository}: 403 Forbidden${saying}`, `the account${context.credentialSource ? ` from ${context.credentialSource}` : ''} may not do this in ${at}: grant it access, or use a repository it may write to`];
    if (status === 404) return [`${at} has no such thing while ${doing}: 404 Not Found${saying}`, `check the reference (host, repository, tag); some registries want the repository or project created first`];
    if (status === 413) return [`${registry} refused ${context.bytes !== undefined ? `a request of ${context.bytes} bytes` : 'a request'} as too large while ${doing}: 413${saying}`, `a proxy in front of the registry limits request bodies (nginx: client_max_body_size 0); or send smaller chunks: --chunk-size 16M`];
    if (status === 429) return [`${registry} is rate-limiting kiln while ${doing}: 429 Too Many Requests${saying}`, 'wait and try again, or log in: registries allow more to known accounts'];
    if (status >= 500) return [`${registry} failed while ${doing}: ${status}${saying}`, 'the registry (or a proxy before it) is in trouble: try again; if it lasts, look at its log'];
    return [`${registry} refused ${doing}: ${status}${saying}`, 'the registry says why above; check the reference and what is pushed'];
  })();
  return new KilnError('E_REGISTRY', message, { hint });
}

/** A request that got no answer; the push retries these (blob-push.ts). */
export class RegistryUnreachable extends KilnError {}

/** A request that got no answer: refused, reset, timed out, or a TLS failure. */
export function networkError(error: unknown, context: FailureContext): KilnError {
  const code = (error as { code?: string }).code ?? '';
  const text = context.masker.mask((error as Error).message ?? String(error));
  const { registry, doing } = context;
  const tls = /certificate|self[- ]signed|CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO/i.test(`${code} ${text}`);
  const plain = /wrong version number|EPROTO|packet length too long/i.test(`${code} ${text}`);
  const hint = tls
    ? `kiln does not trust ${registry}'s certificate: give the CA that signed it with --ca-file ca.pem (or SSL_CERT_FILE)`
    : plain
      ? `${registry} does not speak TLS on this port: if it is a plain-HTTP registry on a trusted network, add --plain-http`
      : context.proxy
        ? `check the proxy ${context.proxy}: that it runs, lets kiln in and may reach ${registry}; or bypass it for the registry (NO_PROXY=${registry.replace(/:\d+$/, '')}, or --proxy none)`
        : code === 'ECONNREFUSED' || code === 'ENOTFOUND'
        ? `nothing answers at ${registry}: check the host and port in the reference`
        : `the connection broke; run the command again: blobs the registry already has are not sent twice`;
  return new RegistryUnreachable('E_REGISTRY', `cannot reach ${registry}${context.proxy ? ` through proxy ${context.proxy}` : ''} while ${doing}: ${code ? `${code}: ` : ''}${text}`, { cause: error, hint });
}
