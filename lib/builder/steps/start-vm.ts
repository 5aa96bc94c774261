import { join } from 'node:path';
import type { Driver } from '../../hypervisor/driver.js';
import type { Step } from '../../pipeline/step.js';
import type { Template } from '../../template/types.js';
import { nocloudSeedArg } from '../../cloud-init/seed.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { reportRestore, savedStateLaunch } from '../restore-state.js';

export interface StartVmOptions {
  driver: Driver;
  name: string;
  machine: Template['machine'];
  /** Installer builds boot the source ISO once; a cloud image boots its disk. */
  bootsInstaller: boolean;
  /** The guest's SSH port, forwarded to 127.0.0.1; none with `ssh: none`. */
  sshGuestPort?: number;
}

/**
 * Starts the VM through the driver: the build disk (or the driver's own), the
 * installer ISO unless the build resumed from an installed disk, the seed CD or its
 * URL, the SSH forward and the serial log. Cleanup disposes of the VM whatever the
 * outcome; --on-error=abort keeps a VM's own files, never a running VM. A resumed layer
 * that kept the guest's memory is restored instead of booted (restore-state.ts).
 */
export function startVm(options: StartVmOptions): Step<BuildContext> {
  return {
    name: 'start-vm',
    async run(ctx, signal) {
      const { driver } = options;
      if (!driver.resumable) ctx.log.info(`the stage cache (resume) needs live disk snapshots, which ${driver.label} does not take: this build runs every stage`);
      const seed = ctx.seed;
      const restore = await savedStateLaunch(ctx, options, signal);
      const vm = await driver.start(
        {
          name: options.name,
          machine: options.machine,
          workDir: need(ctx.workDir, 'workDir'),
          serialLog: join(ctx.outputDir, 'serial.log'),
          ...(driver.usesBuildDisk ? { disk: need(ctx.disk, 'disk') } : {}),
          // Resumed from the cache: the disk is installed already; boot it, no installer.
          ...(options.bootsInstaller && !ctx.cache?.resumed ? { installer: need(ctx.source, 'source').path } : {}),
          extraCdroms: [...(ctx.media?.cd ? [ctx.media.cd] : []), ...(seed?.iso ? [seed.iso] : [])],
          ...(ctx.media?.floppy ? { floppy: ctx.media.floppy } : {}),
          // An installer is told the seed URL by its boot command; a cloud image reads SMBIOS.
          ...(seed?.url && !options.bootsInstaller ? { smbiosSerial: nocloudSeedArg(seed.url) } : {}),
          ...(ctx.cache?.efiVars ? { efiVars: ctx.cache.efiVars } : {}),
          ...(options.sshGuestPort !== undefined ? { sshGuestPort: options.sshGuestPort } : {}),
          ...(restore ? { restore } : {}),
          log: ctx.log,
        },
        signal,
      );
      ctx.vm = vm;
      if (!driver.usesBuildDisk) ctx.disk = vm.disk;
      if (vm.sshPort !== undefined) ctx.log.info(`guest SSH is forwarded to 127.0.0.1:${vm.sshPort}`);
      reportRestore(ctx, vm.restore);
    },
    async cleanup(ctx, info) {
      await ctx.vm?.dispose({ keepFiles: info.keepFiles });
    },
  };
}
