// Valid templates this machine cannot build: what the hypervisor's driver says it
// cannot do, and waits that need a tool the host lacks. They are refused with the
// rest of validation, before anything starts, rather than failing halfway through.
import type { Issue } from '../errors.js';
import { driverFor } from '../hypervisor/drivers.js';
import { TESSERACT_INSTALL_HINT } from '../screen/ocr.js';
import { findExecutable } from '../util/find-executable.js';
import type { Template } from '../template/types.js';

export function unsupportedFeatures(t: Template): Issue[] {
  const issues = driverFor(t.hypervisor).unsupported(t);
  if (t.boot.waits.includes('waitScreen') && !findExecutable('tesseract')) {
    issues.push({ path: 'boot.command', message: `<waitScreen> reads the screen with tesseract (OCR), which is not installed: ${TESSERACT_INSTALL_HINT}` });
  }
  return issues;
}
