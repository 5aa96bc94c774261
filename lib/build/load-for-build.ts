import { ValidationError } from '../errors.js';
import { loadTemplate, type LoadedTemplate, type LoadOptions } from '../template/load.js';
import { unsupportedFeatures } from './unsupported.js';

/** Loads a template and refuses, all at once, anything this version cannot build. */
export async function loadForBuild(file: string, options: LoadOptions): Promise<LoadedTemplate> {
  const template = await loadTemplate(file, options);
  const issues = unsupportedFeatures(template);
  if (issues.length > 0) throw new ValidationError(issues, template.file);
  return template;
}
