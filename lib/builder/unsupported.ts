// Valid templates this machine or hypervisor cannot build: combinations VirtualBox does
// not support, and waits that need a tool the host lacks. They are refused with the
// rest of validation, before anything starts, rather than failing halfway through.
import type { Issue } from '../errors.js';
import { QEMU_IMG, QEMU_IMG_HINT } from '../hypervisor/qemu/qemu-img.js';
import { parseBootCommand } from '../keyboard/parse.js';
import { TESSERACT_INSTALL_HINT } from '../screen/ocr.js';
import { findExecutable } from '../util/find-executable.js';
import type { Template } from '../template/types.js';

export function unsupportedFeatures(t: Template): Issue[] {
  const issues: Issue[] = [];
  const no = (path: string, message: string) => issues.push({ path, message });
  if (t.hypervisor === 'virtualbox' && t.source.disk) no('source.disk', 'cloud-image builds (source.disk) run under QEMU only: use hypervisor: qemu, or source.iso with virtualbox');
  if (t.hypervisor === 'virtualbox' && !findExecutable(QEMU_IMG)) {
    // Found out here, not after the install: shrink and export read the VDI with it.
    no('hypervisor', `VirtualBox builds measure, shrink and convert the disk with qemu-img, which is not installed: ${QEMU_IMG_HINT}`);
  }
  if (t.hypervisor === 'virtualbox' && t.cloud_init?.via.includes('cdrom')) no('cloud_init.via', 'a CIDATA seed CD is attached under QEMU only: use via: http with virtualbox');
  // The syntax was checked by the loader; here only which waits are used.
  let actions: ReturnType<typeof parseBootCommand> = [];
  try {
    actions = parseBootCommand(t.boot.command.join(''));
  } catch {
    // already reported by the loader
  }
  if (actions.some((a) => a.kind === 'waitScreen') && !findExecutable('tesseract')) {
    no('boot.command', `<waitScreen> reads the screen with tesseract (OCR), which is not installed: ${TESSERACT_INSTALL_HINT}`);
  }
  return issues;
}
