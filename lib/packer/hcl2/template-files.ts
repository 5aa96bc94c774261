// Which files make up an HCL2 template, as `packer build PATH` reads them: PATH itself
// when it is a file, else every *.pkr.hcl directly in the folder, in name order.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import { parseHcl, type HclBody } from './hcl.js';
import type { Problems } from './problems.js';

export interface ParsedFile {
  file: string;
  body: HclBody;
}

export interface TemplateFiles {
  /** path.root: the folder the template was read from, absolute. */
  dir: string;
  /** True when PATH named a folder (only then are *.auto.pkrvars.hcl files read, as Packer does). */
  isDir: boolean;
  files: string[];
}

const HCL_SUFFIX = '.pkr.hcl';
const JSON_SUFFIX = '.pkr.json';

function jsonSyntaxError(file: string): KilnError {
  return new KilnError('E_TEMPLATE', `${file}: HCL-JSON templates (*.pkr.json) are not supported`, {
    hint: 'kiln reads Packer templates in HCL syntax (*.pkr.hcl) and legacy JSON templates; rewrite this file in HCL syntax.',
  });
}

export async function listTemplateFiles(target: string): Promise<TemplateFiles> {
  const absolute = path.resolve(target);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new KilnError('E_TEMPLATE', `${target}: cannot read the template: ${(cause as Error).message}`, { cause, hint: 'Give a .pkr.hcl file or a folder of them.' });
  });
  if (!info.isDirectory()) {
    if (absolute.endsWith(JSON_SUFFIX)) throw jsonSyntaxError(absolute);
    return { dir: path.dirname(absolute), isDir: false, files: [absolute] };
  }
  const names = (await readdir(absolute)).sort();
  const json = names.find((name) => name.endsWith(JSON_SUFFIX));
  if (json !== undefined) throw jsonSyntaxError(path.join(absolute, json));
  const files = names.filter((name) => name.endsWith(HCL_SUFFIX)).map((name) => path.join(absolute, name));
  if (files.length === 0) {
    throw new KilnError('E_TEMPLATE', `${target}: no *.pkr.hcl files in this folder`, { hint: 'Point kiln at the folder that holds the template files (packer build reads the same folder).' });
  }
  return { dir: absolute, isDir: true, files };
}

/** Reads and parses every file; syntax errors of all files are collected into `problems`. */
export async function parseFiles(files: readonly string[], problems: Problems): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((cause: unknown) => {
      throw new KilnError('E_TEMPLATE', `${file}: cannot read: ${(cause as Error).message}`, { cause });
    });
    try {
      parsed.push({ file, body: await parseHcl(text, file) });
    } catch (error) {
      problems.addError(error);
    }
  }
  return parsed;
}
