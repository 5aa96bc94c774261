// VirtualBox as a kiln driver, through VBoxManage: a VM defined per build (a unique
// name, its folder and VDI in the work dir, NAT with the SSH port on 127.0.0.1, COM1
// into serial.log, the ISO on a DVD drive) and started headless. It exports appliances
// itself; it has no live disk snapshots, so its builds run every stage.
import { randomBytes } from 'node:crypto';
import type { Issue } from '../../errors.js';
import { findExecutable } from '../../util/find-executable.js';
import { reservePort } from '../../util/free-port.js';
import type { Template } from '../../template/types.js';
import { commonControls, type BuildVm } from '../build-vm.js';
import type { Driver } from '../driver.js';
import { QEMU_IMG, QEMU_IMG_HINT } from '../qemu/qemu-img.js';
import { detectVBoxVersion, startVirtualBoxVm } from './create.js';
import { defaultVBoxManageBinary, vboxManage } from './run.js';
import { scancodeTyping } from './scancode-typing.js';
import { uniqueVmName } from './spec.js';
import { vmSpecFromTemplate } from './template-spec.js';
import type { VirtualBoxVm } from './vm.js';

export const virtualBoxDriver: Driver = {
  name: 'virtualbox',
  label: 'VirtualBox',
  unsupported,
  resumable: false,
  usesBuildDisk: false,
  async start(launch, signal) {
    const { log } = launch;
    const vbox = vboxManage(defaultVBoxManageBinary(), log);
    const version = await detectVBoxVersion(vbox, signal);
    log.info(`hypervisor: VirtualBox ${version.text} (${vbox.binary})`);
    // Held while the VM is defined, so that nothing else takes it before VirtualBox's NAT
    // binds it at startvm (a port merely found free could be gone by then).
    const reserved = launch.sshGuestPort !== undefined ? await reservePort('127.0.0.1') : undefined;
    const sshPort = reserved?.port;
    const spec = vmSpecFromTemplate(
      { name: launch.name, machine: launch.machine, ssh: launch.sshGuestPort !== undefined ? { port: launch.sshGuestPort } : null },
      {
        name: uniqueVmName(launch.name, randomBytes(4).toString('hex')),
        baseFolder: launch.workDir,
        ...(launch.installer ? { iso: launch.installer } : {}),
        ...(sshPort !== undefined ? { sshHostPort: sshPort } : {}),
        serialLog: launch.serialLog,
      },
    );
    log.info(`VirtualBox VM ${spec.name}`);
    // On a failure or Ctrl-C before it returns, the driver removes what it made itself;
    // the runner waits for a step Ctrl-C cut short before cleanup, so a late start lands
    // in ctx.vm and is disposed of there.
    const beforeStart = async () => reserved?.release();
    const vm = await startVirtualBoxVm({ spec, vbox, version, log, signal, beforeStart }).finally(beforeStart);
    return virtualBoxBuildVm(vm, { serialLog: launch.serialLog, ...(sshPort !== undefined ? { sshPort } : {}) }, log);
  },
};

/** What VirtualBox builds cannot do, refused with the rest of validation. */
function unsupported(t: Template): Issue[] {
  const issues: Issue[] = [];
  const no = (path: string, message: string) => issues.push({ path, message });
  if (t.source.kind === 'disk') no('source.disk', 'cloud-image builds (source.disk) run under QEMU only: use hypervisor: qemu, or source.iso with virtualbox');
  if (!findExecutable(QEMU_IMG)) {
    // Found out here, not after the install: shrink and export read the VDI with it.
    no('hypervisor', `VirtualBox builds measure, shrink and convert the disk with qemu-img, which is not installed: ${QEMU_IMG_HINT}`);
  }
  if (t.cloud_init?.via.includes('cdrom')) no('cloud_init.via', 'a CIDATA seed CD is attached under QEMU only: use via: http with virtualbox');
  if (t.cd) no('cd', 'an extra CD is attached under QEMU only for now: serve the files from http.directory with virtualbox');
  if (t.floppy) no('floppy', 'a floppy is attached under QEMU only for now: serve the files from http.directory with virtualbox');
  return issues;
}

/**
 * VirtualBox: each keyboard call starts a VBoxManage process, so consecutive key
 * presses share `keyboardputscancode` calls. COM1 writes to a file only: there is no
 * socket for `kiln console`.
 */
function virtualBoxBuildVm(vm: VirtualBoxVm, placed: Pick<BuildVm, 'serialLog' | 'sshPort'>, log?: { info(m: string): void; warn(m: string): void }): BuildVm {
  return {
    label: 'VirtualBox',
    stoppedCode: 'E_VBOX',
    disk: { path: vm.diskPath, format: 'vdi' },
    ...placed,
    planTyping: (actions, breaks) => scancodeTyping(actions, (bytes, signal) => vm.sendScancodes(bytes, signal), breaks),
    ...commonControls(vm),
    serialSocket: async () => undefined,
    async dispose({ keepFiles }) {
      if (!keepFiles) return vm.destroy();
      await vm.kill().catch((error: Error) => log?.warn(`could not power off VirtualBox VM ${vm.name}: ${error.message}`));
      log?.info(`kept VirtualBox VM ${vm.name} for inspection (--on-error=abort); remove it with: VBoxManage unregistervm ${vm.name} --delete`);
    },
    appliance: {
      export: (options, signal) => vm.exportAppliance(options, signal),
      async baseMac(signal) {
        const mac = (await vm.info(signal)).get('macaddress1');
        if (!mac) throw new Error(`internal: VirtualBox reported no MAC address for NIC 1 of ${vm.name}`);
        return mac;
      },
    },
  };
}
