// Public surface of the VirtualBox driver (docs/virtualbox.md).
export { createVirtualBoxVm, detectVBoxVersion, startVirtualBoxVm, type CreateVirtualBoxVmOptions } from './create.js';
export { VirtualBoxVm, type VirtualBoxExit } from './vm.js';
export { vboxManage, defaultVBoxManageBinary, type VBoxManage } from './run.js';
export { VBoxManageError, parseVBoxError } from './errors.js';
export { parseVBoxVersion, vboxFeatures, VBOX_INSTALL_HINT, type VBoxVersion, type VBoxFeatures } from './version.js';
export { planScancodeCalls, scancodeChunks, MAX_SCANCODES_PER_CALL, type ScancodeStep } from './scancode-calls.js';
export { uniqueVmName, VM_DEFAULTS, type VmSpec } from './spec.js';
export type { ExportOptions } from './control-argv.js';
