// The WWW-Authenticate challenge of a 401 (RFC 7235), as registries send it:
//   Basic realm="Registry Realm"
//   Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"
// and the token request a Bearer challenge asks for (the distribution spec's token flow).

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** The first challenge in the header, scheme lower-cased; undefined when there is none. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pair = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  const rest = match[2]!;
  pair.lastIndex = 0;
  for (let m = pair.exec(rest); m; m = pair.exec(rest)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    if (pair.lastIndex >= rest.length) break;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/**
 * The token endpoint's URL for a Bearer challenge and the scopes a request needs: the
 * challenge's scope plus the ones kiln asks for (a push needs pull,push on its repository).
 */
export function tokenUrl(challenge: Challenge, scopes: readonly string[]): string {
  const url = new URL(challenge.params.realm!);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  const all = new Set([...(challenge.params.scope ? challenge.params.scope.split(' ') : []), ...scopes]);
  for (const scope of all) url.searchParams.append('scope', scope);
  return url.toString();
}
