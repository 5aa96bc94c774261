import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { virtualBoxBuildVm } from '../../hypervisor/build-vm.js';
import { detectVBoxVersion, startVirtualBoxVm as startVm } from '../../hypervisor/virtualbox/create.js';
import { defaultVBoxManageBinary, vboxManage } from '../../hypervisor/virtualbox/run.js';
import { uniqueVmName } from '../../hypervisor/virtualbox/spec.js';
import { vmSpecFromTemplate } from '../../hypervisor/virtualbox/template-spec.js';
import type { Step } from '../../pipeline/step.js';
import { reservePort } from '../../util/free-port.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/**
 * Defines the VirtualBox VM (a name unique to this build, its folder and VDI in the
 * work dir, NAT with the SSH port on 127.0.0.1, COM1 into serial.log, the ISO on a
 * DVD drive) and starts it headless. Cleanup unregisters it and deletes its files,
 * whatever the outcome; --on-error=abort keeps it registered, powered off, for a look.
 */
export const startVirtualBoxVm: Step<BuildContext> = {
  name: 'start-vm',
  async run(ctx, signal) {
    const vbox = vboxManage(defaultVBoxManageBinary(), ctx.log);
    const version = await detectVBoxVersion(vbox, signal);
    ctx.log.info(`hypervisor: VirtualBox ${version.text} (${vbox.binary})`);
    // The stage cache snapshots disks through QEMU; it has nothing to resume here.
    ctx.log.info('the stage cache (resume) is QEMU-only: this VirtualBox build runs every stage');
    // Held while the VM is defined, so that nothing else takes it before VirtualBox's NAT
    // binds it at startvm (a port merely found free could be gone by then).
    const sshPort = ctx.template.ssh ? await reservePort('127.0.0.1') : undefined;
    ctx.sshHostPort = sshPort?.port;
    ctx.serialLog = join(ctx.outputDir, 'serial.log');
    const spec = vmSpecFromTemplate(ctx.template, {
      name: uniqueVmName(ctx.template.name, randomBytes(4).toString('hex')),
      baseFolder: need(ctx.workDir, 'workDir'),
      iso: need(ctx.source, 'source').path,
      sshHostPort: ctx.sshHostPort,
      serialLog: ctx.serialLog,
    });
    ctx.log.info(`VirtualBox VM ${spec.name}`);
    // On a failure or Ctrl-C before it returns, the driver removes what it made itself;
    // the runner waits for a step Ctrl-C cut short before cleanup, so a late start lands
    // in ctx.vm and is destroyed below.
    const beforeStart = async () => sshPort?.release();
    const vm = await startVm({ spec, vbox, version, log: ctx.log, signal, beforeStart }).finally(beforeStart);
    ctx.vm = virtualBoxBuildVm(vm);
    ctx.disk = { path: vm.diskPath, format: 'vdi' };
    if (ctx.sshHostPort) ctx.log.info(`guest SSH is forwarded to 127.0.0.1:${ctx.sshHostPort}`);
  },
  async cleanup(ctx, info) {
    const vm = ctx.vm?.kind === 'virtualbox' ? ctx.vm.driver : undefined;
    if (!vm) return;
    if (info.keepFiles) {
      await vm.kill().catch((error: Error) => ctx.log.warn(`could not power off VirtualBox VM ${vm.name}: ${error.message}`));
      ctx.log.info(`kept VirtualBox VM ${vm.name} for inspection (--on-error=abort); remove it with: VBoxManage unregistervm ${vm.name} --delete`);
      return;
    }
    await vm.destroy();
  },
};
