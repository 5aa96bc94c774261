// Which front end reads a template: a folder or a .pkr.hcl file is Packer HCL2, a .json
// with a `builders` list is a legacy Packer template, anything else is kiln's own.
import { readFile, readdir, stat } from 'node:fs/promises';
import { KilnError } from '../errors.js';

export type TemplateFormat = 'kiln' | 'packer-hcl2' | 'packer-json';

/** Whether parsed data is a Packer JSON template (an object with a `builders` list) rather than a kiln template. */
export function isLegacyPackerJson(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && Array.isArray((data as { builders?: unknown }).builders);
}

export async function templateFormat(path: string): Promise<TemplateFormat> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const names = await readdir(path);
    if (!names.some((n) => n.endsWith('.pkr.hcl') || n.endsWith('.pkr.json'))) {
      throw new KilnError('E_TEMPLATE', `${path} is a folder without .pkr.hcl files`, {
        hint: 'give a kiln template file (kiln.yaml), a Packer template (.pkr.hcl, .json) or a folder of .pkr.hcl files',
      });
    }
    return 'packer-hcl2';
  }
  if (/\.pkr\.(hcl|json)$/i.test(path)) return 'packer-hcl2';
  if (info?.isFile() && path.toLowerCase().endsWith('.json')) {
    const text = await readFile(path, 'utf8');
    try {
      if (isLegacyPackerJson(JSON.parse(text))) return 'packer-json';
    } catch {
      // Not valid JSON: kiln's loader reports the syntax error with its position.
    }
  }
  return 'kiln';
}
