import { ValidationError } from '../errors.js';
import { lintAnswerFiles } from '../lint/lint-template.js';
import { loadParsedTemplate, type LoadOptions } from '../template/load.js';
import type { Template } from '../template/types.js';
import { unsupportedFeatures } from './unsupported.js';

/** Loads a template and refuses, all at once, anything this version cannot build. */
export async function loadForBuild(file: string, options: LoadOptions): Promise<Template> {
  const { template, source } = await loadParsedTemplate(file, options);
  const issues = unsupportedFeatures(template);
  // Answer files, scripts and the paths the boot command fetches, with file:line (lib/lint).
  issues.push(...(await lintAnswerFiles(template, { templateArg: file, source })));
  // Named as the user typed it, like the loader's own issues.
  if (issues.length > 0) throw new ValidationError(issues, file);
  return template;
}
