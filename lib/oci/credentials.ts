// Whose credentials a registry gets, in the order podman and skopeo look: --username and
// --password-stdin, then REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json,
// then Docker's config.json ($DOCKER_CONFIG or ~/.docker). An auth file maps a registry
// to base64 "user:password" (`auth`) or to `username`/`password`; keys may be written
// as a URL (https://host/v1/, as old docker login did) or as host/path.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KilnError } from '../errors.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages ("--username", "/root/.docker/config.json"). */
  source: string;
}

export interface CredentialOptions {
  username?: string;
  password?: string;
  env: NodeJS.ProcessEnv;
}

/** The auth files searched, first wins. */
export function authFiles(env: NodeJS.ProcessEnv): string[] {
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE];
  const files: string[] = [];
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'), 'config.json'));
  return files;
}

export async function credentialsFor(registry: string, options: CredentialOptions): Promise<Credentials | undefined> {
  if (options.username !== undefined || options.password !== undefined) {
    if (!options.username || options.password === undefined) {
      throw new KilnError('E_USAGE', '--username and --password-stdin go together', {
        hint: 'give both: echo "$TOKEN" | kiln ... --username USER --password-stdin',
      });
    }
    return { username: options.username, password: options.password, source: '--username' };
  }
  for (const file of authFiles(options.env)) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw new KilnError('E_USAGE', `cannot read the registry auth file ${file}: ${error.message}`, { cause: error, hint: 'fix its permissions, or point REGISTRY_AUTH_FILE at another file' });
    });
    if (text === undefined) continue;
    const found = fromAuthFile(text, registry, file);
    if (found) return found;
  }
  return undefined;
}

/** The entry for `registry` in an auth file's text; undefined when it has none. */
export function fromAuthFile(text: string, registry: string, file: string): Credentials | undefined {
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }>; credHelpers?: Record<string, string>; credsStore?: string };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (error) {
    throw new KilnError('E_USAGE', `${file} is not JSON: ${(error as Error).message}`, { hint: 'fix the file, or log in again (docker login / podman login rewrite it)' });
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => authKeyHost(key) === registry)?.[1];
  if (entry?.username && entry.password !== undefined) return { username: entry.username, password: entry.password, source: file };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new KilnError('E_USAGE', `${file}: the "auth" entry of ${registry} is not base64 of user:password`, { hint: `log in again: docker login ${registry}` });
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: file };
  }
  // A global credsStore may hold nothing for this registry: only a per-registry helper is sure to.
  const helper = config.credHelpers?.[registry];
  if (helper && !entry) {
    throw new KilnError('E_USAGE', `${file} keeps the credentials of ${registry} in the credential helper docker-credential-${helper}, which kiln does not run`, {
      hint: `give them directly: kiln ... --username USER --password-stdin, or write an auth file with them (REGISTRY_AUTH_FILE)`,
    });
  }
  return undefined;
}

/** "https://host:5000/v1/" and "host:5000/path" both mean host:5000. */
function authKeyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
}
