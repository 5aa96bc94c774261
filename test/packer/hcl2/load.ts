// Test helper: HCL2 templates loaded for real, from the fixtures folder or a scratch one.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { ValidationError, type Issue } from '../../../lib/errors.js';
import type { PackerBuild, PackerInputs, PackerTemplate, PackerValue } from '../../../lib/packer/model.js';
import { loadHcl2 } from '../../../lib/packer/hcl2/load-hcl2.js';
import { rejection } from '../../helpers/rejection.js';
import { REPO } from '../../helpers/run-kiln.js';
import { scratch } from '../../helpers/scratch-dir.js';

export { removeScratch } from '../../helpers/scratch-dir.js';

export const BENTO = join(REPO, 'test/packer/hcl2/fixtures/bento');
export const BENTO_TEMPLATES = join(BENTO, 'packer_templates');

export function inputs(given: Partial<PackerInputs> = {}): PackerInputs {
  return { vars: [], varFiles: [], only: [], except: [], env: {}, ...given };
}

/** Writes `files` to a scratch folder and loads the folder. */
export async function loadFiles(files: Record<string, string>, given: Partial<PackerInputs> = {}): Promise<PackerTemplate & { dir: string }> {
  const dir = await scratch(files, 'kiln-hcl2-');
  return { ...(await loadHcl2(dir, inputs(given))), dir };
}

/** The issues loading `files` reports; fails the test if it loads. */
export async function issuesOf(files: Record<string, string>, given: Partial<PackerInputs> = {}): Promise<Issue[]> {
  const error = await rejection(loadFiles(files, given), 'the template loaded without problems');
  if (!(error instanceof ValidationError)) throw error;
  return error.issues;
}

/** The one issue matching `message`, failing the test with every issue when there is none. */
export function issueMatching(issues: readonly Issue[], message: RegExp): Issue {
  const found = issues.find((issue) => message.test(issue.message));
  assert.ok(found, `no issue matches ${message}; issues: ${JSON.stringify(issues, null, 1)}`);
  return found as Issue;
}

/** A source setting's value. */
export function setting(build: PackerBuild, key: string): PackerValue | undefined {
  return build.source.settings[key]?.value;
}

/** `source "null" "x" {}` and a build of it, to append to a test's template. */
export const NULL_BUILD = 'source "null" "x" {}\nbuild {\n  sources = ["source.null.x"]\n}\n';
