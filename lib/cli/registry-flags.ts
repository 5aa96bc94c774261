// The flags every command that talks to an OCI registry takes (publish, pull, build's
// --cache-to/--cache-from), and the RegistryAccess they make. The password is read from
// stdin only (--password-stdin): a flag's value would sit in the shell history and in
// `ps` for every user of the machine.
import { KilnError } from '../errors.js';
import type { RegistryAccess } from '../oci/open-repository.js';
import { parseSize } from '../util/size.js';
import { resolveProxySettings } from '../source/proxy-settings.js';

export const REGISTRY_OPTIONS = {
  username: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  'ca-file': { type: 'string' },
  'plain-http': { type: 'boolean', default: false },
  proxy: { type: 'string' },
} as const;

export const REGISTRY_USAGE = '[--username USER --password-stdin] [--ca-file CA.pem] [--plain-http] [--proxy URL|none]';

export interface RegistryFlagValues {
  username?: string;
  'password-stdin'?: boolean;
  'ca-file'?: string;
  'plain-http'?: boolean;
  proxy?: string;
}

export async function registryAccess(values: RegistryFlagValues, stdin: NodeJS.ReadableStream | undefined, signal?: AbortSignal): Promise<RegistryAccess> {
  if (values['password-stdin'] && values.username === undefined) {
    throw new KilnError('E_USAGE', '--password-stdin needs --username', { hint: 'give both: echo "$TOKEN" | kiln ... --username USER --password-stdin' });
  }
  let password: string | undefined;
  if (values['password-stdin']) {
    if (!stdin) throw new KilnError('E_USAGE', '--password-stdin: there is no stdin to read', { hint: 'pipe the password in: echo "$TOKEN" | kiln ... --password-stdin' });
    password = (await readAll(stdin)).replace(/\r?\n$/, '');
    if (password === '') throw new KilnError('E_USAGE', '--password-stdin read an empty password', { hint: 'pipe the password in: echo "$TOKEN" | kiln ... --password-stdin' });
  }
  return {
    env: process.env,
    proxy: resolveProxySettings({ flag: values.proxy, env: process.env }),
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(values['ca-file'] !== undefined ? { caFile: values['ca-file'] } : {}),
    ...(values['plain-http'] ? { plainHttp: true } : {}),
    ...(signal ? { signal } : {}),
  };
}

/** --chunk-size 16M: bytes per PATCH of a chunked upload (at least 1K). */
export function chunkSizeFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined || bytes < 1024) {
    throw new KilnError('E_USAGE', `--chunk-size "${value}" is not a size of at least 1K`, { hint: 'give a size like 16M or 256M (bytes per upload request)' });
  }
  return bytes;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}
