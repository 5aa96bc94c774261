// Path and file functions. Paths follow Go's path/filepath rules on a POSIX system
// (dirname("a/b/") is "a/b", basename("") is "."), relative ones resolve against
// context.cwd, and a leading ~ is the HOME of context.env.
import { readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { family, fn } from './arguments.js';
import { FunctionError, type FunctionContext } from './function-types.js';
import { globFiles } from './glob.js';
import { compareText } from './values.js';

/** Go's filepath.Clean. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

function dirname(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf('/') + 1));
}

function basename(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function pathexpand(name: string, path: string, context: FunctionContext): string {
  if (!path.startsWith('~')) return path;
  if (path.length > 1 && path[1] !== '/') throw new FunctionError(`${name}: cannot expand ${JSON.stringify(path)}: only ~ and ~/ (the current user's home) are supported`);
  const home = context.env.HOME;
  if (!home) throw new FunctionError(`${name}: cannot expand ${JSON.stringify(path)}: HOME is not set`);
  return home + path.slice(1);
}

/** Where a template's path points: ~ expanded, relative to the working directory. */
function resolvePath(name: string, path: string, context: FunctionContext): string {
  return posix.resolve(context.cwd, pathexpand(name, path, context));
}

function readText(path: string, context: FunctionContext): string {
  const full = resolvePath('file', path, context);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FunctionError(`file: no file exists at ${JSON.stringify(path)} (looked for ${full})`);
    if (code === 'EISDIR') throw new FunctionError(`file: ${JSON.stringify(path)} is a directory, not a file`);
    throw new FunctionError(`file: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FunctionError(`file: the contents of ${JSON.stringify(path)} are not valid UTF-8`);
  }
}

function fileExists(path: string, context: FunctionContext): boolean {
  const full = resolvePath('fileexists', path, context);
  let stats;
  try {
    stats = statSync(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw new FunctionError(`fileexists: cannot check ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  if (stats.isFile()) return true;
  throw new FunctionError(`fileexists: ${JSON.stringify(path)} is ${stats.isDirectory() ? 'a directory' : 'not a regular file'}`);
}

export const filesystemFunctions = family({
  abspath: fn(['string'], ([path], context) => posix.resolve(context.cwd, path)),
  basename: fn(['string'], ([path]) => basename(path)),
  dirname: fn(['string'], ([path]) => dirname(path)),
  pathexpand: fn(['string'], ([path], context) => pathexpand('pathexpand', path, context)),
  env: fn(['string'], ([name], context) => (Object.hasOwn(context.env, name) ? context.env[name] ?? '' : '')),
  file: fn(['string'], ([path], context) => readText(path, context)),
  fileexists: fn(['string'], ([path], context) => fileExists(path, context)),
  // Unlike file(), fileset() does not expand ~ (nor does Packer's).
  fileset: fn(['string', 'string'], ([path, pattern], context) =>
    globFiles(posix.resolve(context.cwd, path), pattern).sort(compareText)),
});
