import { readFile } from 'node:fs/promises';
import { KilnError } from '../errors.js';

/** A template or var file's text; a file that cannot be read is E_TEMPLATE naming it. `what`: "template", "var file". */
export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KilnError('E_TEMPLATE', `cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, {
      cause,
      hint: code === 'ENOENT' ? `check the path of the ${what}` : `check that the ${what} is a readable file`,
    });
  }
}
