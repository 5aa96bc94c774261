// Test helper: templates written to temporary directories, loaded for real.
import { join } from 'node:path';
import { ValidationError, type Issue } from '../../lib/errors.js';
import { loadTemplate, type LoadOptions } from '../../lib/template/load.js';
import { rejection } from '../helpers/rejection.js';
import { scratch as scratchDir } from '../helpers/scratch-dir.js';
import type { Template } from '../../lib/template/types.js';

export { removeScratch } from '../helpers/scratch-dir.js';

/** A fresh directory holding `files` (path -> content; a path ending in "/" is a directory). */
export const scratch = (files: Record<string, string> = {}) => scratchDir(files, 'kiln-template-');

/** The local sources the test templates name: validation requires them to exist. */
export const SOURCES: Record<string, string> = { 'images/base.qcow2': '', 'x.iso': '', 'deb.iso': '', 'base.qcow2': '' };

/** Writes `text` as kiln.yaml (or `name`) next to `files` and loads it. */
export async function load(
  text: string,
  options: LoadOptions & { files?: Record<string, string>; name?: string } = {},
): Promise<Template> {
  const dir = await scratch({ ...SOURCES, ...options.files, [options.name ?? 'kiln.yaml']: text });
  return loadTemplate(join(dir, options.name ?? 'kiln.yaml'), options);
}

/** The issues loading `text` reports; fails the test if it loads. */
export async function issuesOf(
  text: string,
  options: LoadOptions & { files?: Record<string, string>; name?: string } = {},
): Promise<Issue[]> {
  const error = await rejection(load(text, options), 'the template loaded without problems');
  if (!(error instanceof ValidationError)) throw error;
  return error.issues;
}

/** Lines joined with "\n", so line and column numbers in tests are easy to read. */
export const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** The smallest valid template. */
export const MINIMAL = lines('name: tiny', 'source:', '  disk:', '    path: images/base.qcow2', '    checksum: none', 'ssh:', '  username: root');
