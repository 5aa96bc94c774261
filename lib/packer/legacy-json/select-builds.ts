// -only and -except for a JSON template, as Packer reads them: globs over builder names
// (a builder's `name`, or its type); -except also skips the post-processors with a
// matching `name`, while -only leaves post-processors alone. A pattern that matches
// nothing is a mistake worth stopping for: it would silently build something else.
import type { Issue } from '../../errors.js';
import { globToRegExp } from '../build-name-glob.js';

export interface Selection {
  builds: string[];
  skipPostProcessor: (name: string) => boolean;
  issues: Issue[];
}

export function selectBuilds(buildNames: string[], postProcessorNames: string[], only: readonly string[], except: readonly string[]): Selection {
  const issues: Issue[] = [];
  const known = `the builds are: ${buildNames.join(', ') || 'none'}`;
  if (only.length > 0 && except.length > 0) {
    issues.push({ path: '-only', message: 'give -only or -except, not both (as in Packer)' });
  }
  const onlyGlobs = compile(only, '-only', issues);
  const exceptGlobs = compile(except, '-except', issues);
  for (const { pattern, regexp } of onlyGlobs) {
    if (!buildNames.some((name) => regexp.test(name))) issues.push({ path: '-only', message: `-only "${pattern}" matches no build: ${known}` });
  }
  for (const { pattern, regexp } of exceptGlobs) {
    if (![...buildNames, ...postProcessorNames].some((name) => regexp.test(name))) {
      issues.push({ path: '-except', message: `-except "${pattern}" matches no build or named post-processor: ${known}${postProcessorNames.length ? `; the named post-processors are: ${postProcessorNames.join(', ')}` : ''}` });
    }
  }
  const matches = (globs: Glob[], name: string) => globs.some(({ regexp }) => regexp.test(name));
  const builds = buildNames.filter((name) => (onlyGlobs.length === 0 || matches(onlyGlobs, name)) && !matches(exceptGlobs, name));
  return { builds, skipPostProcessor: (name) => matches(exceptGlobs, name), issues };
}

interface Glob {
  pattern: string;
  regexp: RegExp;
}

function compile(patterns: readonly string[], option: string, issues: Issue[]): Glob[] {
  return patterns.flatMap((pattern) => {
    try {
      return [{ pattern, regexp: globToRegExp(pattern) }];
    } catch (error) {
      issues.push({ path: option, message: `${option} "${pattern}": ${(error as Error).message}` });
      return [];
    }
  });
}
