// A problem found while checking a template, addressed by key path. Positions are
// attached later (positions.ts) so that the checks stay pure data-in, data-out.

export type Segment = string | number;

export interface Finding {
  path: Segment[];
  message: string;
  /** Point at the key of `path` (unknown or missing keys) or at its value (the default). */
  at?: 'key' | 'value';
  /** 0-based index into the string value at `path` (as written in the file) where the problem is. */
  offset?: number;
  /** 0-based offset in the file itself, for what no key path reaches (a key that is a list). */
  sourceOffset?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `provision[1].shell.script`, `http.content["/meta-data"]`; "" for the root. */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A stable key for maps and sets of paths. */
export const pathKey = (path: readonly Segment[]): string => JSON.stringify(path);
