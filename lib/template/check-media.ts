// The cd and floppy keys: files that must exist, labels the image formats can hold,
// and a floppy only where the machine has a floppy controller.
import { CD_LABEL_MAX, FLOPPY_LABEL_MAX } from '../media/write-media.js';
import { Checker, isRecord, type Data } from './checker.js';

export function checkMedia(c: Checker, data: Data): void {
  for (const key of ['cd', 'floppy'] as const) {
    const spec = data[key];
    if (!isRecord(spec)) continue;
    const max = key === 'cd' ? CD_LABEL_MAX : FLOPPY_LABEL_MAX;
    if (typeof spec.label === 'string' && spec.label.length > max) c.problem([key, 'label'], `the label is ${spec.label.length} characters; a ${key} label holds at most ${max}`);
    if (Array.isArray(spec.files)) {
      spec.files.forEach((file, i) => {
        if (typeof file === 'string' && /[*?[]/.test(file)) c.problem([key, 'files', i], 'kiln takes files and folders here, not patterns: list them, or give a folder');
        else c.localPath([key, 'files', i], file, 'file or directory');
      });
    }
  }
  const machine = isRecord(data.machine) && isRecord(data.machine.qemu) ? data.machine.qemu.machine : undefined;
  if (isRecord(data.floppy) && typeof machine === 'string' && /q35/.test(machine) && data.hypervisor !== 'virtualbox') {
    c.problem(['floppy'], `the ${machine} machine has no floppy controller: use machine.qemu.machine: pc, or put the files on a cd`, 'key');
  }
}
