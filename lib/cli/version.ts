import { readFileSync } from 'node:fs';

/** Read from package.json at run time so `kiln --version` needs no other module. */
export function kilnVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
