// fileset()'s matcher (Node 20 has no fs.glob): doublestar's syntax, which Terraform and
// Packer use: * and ? within one path segment, [abc] / [!abc] classes, {a,b}
// alternatives, \ escapes, and ** for zero or more directories. Directories are walked
// segment by segment, so a literal prefix never reads folders outside it, and ** does
// not follow symlinked folders (a loop would never end).
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { FunctionError } from './function-types.js';

const MAGIC = /[*?[{\\]/;

/** Every pattern a {a,b} alternative stands for (nested ones too). */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') { i++; continue; }
    if (char === '{') { if (depth++ === 0) open = i; continue; }
    if (char === ',' && depth === 1) { commas.push(i); continue; }
    if (char !== '}' || depth === 0 || --depth > 0) continue;
    const head = pattern.slice(0, open);
    const tail = pattern.slice(i + 1);
    const cuts = [open, ...commas, i];
    return cuts.slice(1).flatMap((cut, k) => expandBraces(`${head}${pattern.slice((cuts[k] ?? 0) + 1, cut)}${tail}`));
  }
  if (depth > 0) throw new FunctionError(`fileset: the pattern ${JSON.stringify(pattern)} has an unclosed {`);
  return [pattern];
}

/** One path segment's pattern as an anchored RegExp. */
export function segmentRegex(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === '\\') source += escape(segment[++i] ?? '\\');
    else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) throw new FunctionError(`fileset: the pattern segment ${JSON.stringify(segment)} has an unclosed [`);
      let body = segment.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else source += escape(char);
  }
  return new RegExp(`^${source}$`, 'u');
}

function escape(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unescapeLiteral(segment: string): string {
  return segment.replace(/\\(.)/g, '$1');
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function walk(dir: string, relative: string, segments: string[], found: Set<string>): void {
  const [segment, ...rest] = segments;
  if (segment === undefined) {
    if (relative !== '' && isRegularFile(dir)) found.add(relative);
    return;
  }
  const child = (name: string): string => (relative === '' ? name : `${relative}/${name}`);
  if (segment === '**') {
    walk(dir, relative, rest, found);
    for (const entry of entries(dir)) {
      // A trailing ** matches every file below; otherwise it only descends into folders.
      if (entry.isDirectory()) walk(join(dir, entry.name), child(entry.name), segments, found);
      else if (rest.length === 0) walk(join(dir, entry.name), child(entry.name), rest, found);
    }
    return;
  }
  if (!MAGIC.test(segment)) {
    const name = unescapeLiteral(segment);
    walk(join(dir, name), child(name), rest, found);
    return;
  }
  const re = segmentRegex(segment);
  for (const entry of entries(dir)) if (re.test(entry.name)) walk(join(dir, entry.name), child(entry.name), rest, found);
}

/** Regular files under `base` whose path relative to it matches `pattern`, with forward slashes. */
export function globFiles(base: string, pattern: string): string[] {
  const found = new Set<string>();
  for (const expanded of expandBraces(pattern)) {
    const segments = expanded.split('/').filter((segment) => segment !== '' && segment !== '.');
    walk(base, '', segments, found);
  }
  return [...found];
}
